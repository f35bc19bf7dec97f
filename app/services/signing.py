"""The PAdES signature of every electronic certificate (pyHanko), so that a changed byte breaks it.

The key is a PKCS#12 file named by `CERT_SIGNING_P12` (+ `CERT_SIGNING_P12_PASSWORD`) in production
(docs/deploy.md). Without one, a key and a self-signed certificate under `CERT_SIGNING_DIR` (instance/signing)
are used: `flask certificates init-signing` makes them, and the first signature makes them when missing,
so a fresh clone starts with one command."""
from __future__ import annotations

import datetime as dt
import io
import logging
import os
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import current_app

log = logging.getLogger(__name__)
KEY_FILE, CERT_FILE = "signing_key.pem", "signing_cert.pem"
_lock = threading.Lock()


class SigningError(Exception):
    """No usable signing key, or pyHanko could not sign."""


def _dir() -> Path:
    return Path(current_app.config["CERT_SIGNING_DIR"])


def init_signing(force: bool = False) -> Path:
    """Make an EC P-256 key and a ten-year self-signed certificate under CERT_SIGNING_DIR (kept when
    present unless `force`); the folder of both."""
    folder = _dir()
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    with _lock:
        if key_path.exists() and cert_path.exists() and not force:
            return folder
        folder.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, current_app.config["APP_NAME"]),
                          x509.NameAttribute(NameOID.COMMON_NAME, "职称电子证书签名")])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                             crl_sign=False, encipher_only=False, decipher_only=False),
                               critical=True)
                .sign(key, hashes.SHA256()))
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return folder


def signing_certificate_pem() -> bytes:
    """The certificate signatures are checked against (the self-signed one, or the PKCS#12's)."""
    p12 = current_app.config.get("CERT_SIGNING_P12")
    if p12:
        from cryptography.hazmat.primitives.serialization import pkcs12

        password = (current_app.config.get("CERT_SIGNING_P12_PASSWORD") or "").encode() or None
        _, cert, _ = pkcs12.load_key_and_certificates(Path(p12).read_bytes(), password)
        return cert.public_bytes(serialization.Encoding.PEM)
    return (init_signing() / CERT_FILE).read_bytes()


def _signer():
    from pyhanko.sign import signers

    p12 = current_app.config.get("CERT_SIGNING_P12")
    if p12:
        password = (current_app.config.get("CERT_SIGNING_P12_PASSWORD") or "").encode() or None
        signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password)
    else:
        folder = init_signing()
        signer = signers.SimpleSigner.load(str(folder / KEY_FILE), str(folder / CERT_FILE))
    if signer is None:
        raise SigningError("the signing key could not be loaded")
    return signer


def sign_pdf(data: bytes, *, reason: str = "职称电子证书") -> bytes:
    """`data` with an incremental PAdES signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        meta = signers.PdfSignatureMetadata(field_name="CertificateSignature", subfilter=SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=reason)
        return signers.sign_pdf(writer, meta, signer=_signer()).getvalue()
    except SigningError:
        raise
    except Exception as err:  # a key that does not load or a PDF pyHanko cannot read: the 503 page
        log.error("could not sign the certificate PDF: %s", err)
        raise SigningError(str(err)) from err
