"""The `strict_page` guard itself: it must catch what it promises to catch, and a declared error must come."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import PageGuard, assert_no_problems, expect_problem

pytestmark = pytest.mark.e2e


def test_guard_records_error_responses_script_and_console_errors(page):
    guard = PageGuard(page)
    page.goto("/login/")
    guard.assert_clean()  # a clean page passes

    page.goto("/no-such-page")
    page.evaluate("console.error('console went wrong')")
    page.evaluate("setTimeout(() => { throw new Error('script went wrong') }, 0)")
    page.wait_for_timeout(200)
    problems = list(guard.problems)
    assert any("HTTP 404" in p and "/no-such-page" in p for p in problems), problems
    assert any(p.startswith("console") and "console went wrong" in p for p in problems), problems
    assert any(p.startswith("pageerror") and "script went wrong" in p for p in problems), problems
    with pytest.raises(AssertionError, match="undeclared errors"):
        guard.assert_clean()
    guard.assert_clean()  # reported once, then cleared


def test_guard_accepts_a_declared_error_and_insists_that_it_comes(page):
    guard = PageGuard(page)
    with guard.expect(status=404, path="/no-such-page") as allowance:
        page.goto("/no-such-page")
    assert len(allowance.seen) == 1
    guard.assert_clean()

    with pytest.raises(AssertionError, match="none came"):
        with guard.expect(status=404, path="/no-such-page"):
            page.goto("/login/")
    # a declaration covers only its own kind, status and path
    with pytest.raises(AssertionError, match="none came"):
        with guard.expect(status=500):
            page.goto("/no-such-page")
    assert any("HTTP 404" in p for p in guard.problems), guard.problems


def test_strict_page_with_a_declared_404(strict_page):
    page = strict_page
    with expect_problem(page, status=404, path="/no-such-page"):
        response = page.goto("/no-such-page")
    assert response.status == 404
    assert_no_problems(page)
