"""Headless Chromium (Debian's, never a downloaded browser) logs in and opens JupyterLab."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"




def test_login_opens_jupyterlab_and_saves_a_screenshot(running_hub, browser):
    hub = running_hub
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{hub.url}/hub/login", timeout=60_000)
    page.fill("input[name=username]", hub.name("cara"))
    page.fill("input[name=password]", hub.password("cara"))
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**/user/{hub.name('cara')}/lab**", timeout=180_000)
    page.wait_for_selector("#jp-main-dock-panel, .jp-LauncherBody", timeout=120_000)
    # the home folder lists the links to the workspace folders
    page.wait_for_selector(".jp-DirListing-item:has-text('shared')", timeout=60_000)
    page.wait_for_selector(".jp-DirListing-item:has-text('org')", timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "hub_jupyterlab.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert "JupyterLab" in page.title() or page.locator(".jp-LabShell").count() == 1
    page.close()


def test_wrong_password_shows_an_error_in_the_page(running_hub, browser):
    hub = running_hub
    page = browser.new_page()
    page.goto(f"{hub.url}/hub/login", timeout=60_000)
    page.fill("input[name=username]", hub.name("ben"))
    page.fill("input[name=password]", "not-the-password")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()
    assert "/hub/login" in page.url
    assert "Invalid username or password" in page.content()
    page.close()
