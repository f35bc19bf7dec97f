"""Development entry point: `flask --app run run` or `python run.py`; gunicorn uses `run:app`."""
import os

from app import create_app

app = create_app()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", 5000)))
