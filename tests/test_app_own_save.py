"""The app's own save is never announced as a change on disk, however the live reload's
poll falls against it; a change made by someone else still is (issue 22 item 8)."""

from __future__ import annotations

import os

from helpers import running, wait_for, write
from improve.api import Workspace
from improve.tui.app import ImproveApp
from improve.tui.form_values import FormValues


def touch_later(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


async def test_own_saves_are_not_changes_on_disk_and_an_edit_elsewhere_is(plans, monkeypatch):
    """Ten saves in a row with the poll at 0.01 s, each with a poll forced into the worst
    place: between the file's replacement and the save's own result (even saves), or
    after the save's worker is done but before its result is taken in (odd saves). Then
    an edit made elsewhere is said once, even with a second poll forced in before the
    first one's result is taken in."""
    other = write(plans, "other.toml", '[plan]\ntitle = "Other plan"\n')
    apps: list[ImproveApp] = []
    real_update, real_done = Workspace.update, ImproveApp.on_update_done
    forced: list[str] = []
    saves = 0

    def update(self, *a, **kw):
        done = real_update(self, *a, **kw)  # the file is replaced on disk…
        if saves % 2 == 1:
            forced.append("mid-save")
            apps[0].poll_once()  # …and a poll runs before the save has said what it wrote
        return done

    def on_update_done(self, message):
        if saves % 2 == 0:
            forced.append("before taken in")
            self.poll_once()  # the save is told, but the app has not taken its result in
        real_done(self, message)

    real_loaded = ImproveApp.on_portfolio_loaded

    def on_portfolio_loaded(self, message):
        if message.changed and "again" not in forced:
            forced.append("again")
            self.poll_once()  # a poll before the app has taken the last one's result in
        real_loaded(self, message)

    monkeypatch.setattr(Workspace, "update", update)
    monkeypatch.setattr(ImproveApp, "on_portfolio_loaded", on_portfolio_loaded)
    monkeypatch.setattr(ImproveApp, "on_update_done", on_update_done)
    async with running(plans, poll=0.01, history=False, user="Head of Early Help") as (
        app,
        pilot,
    ):
        apps.append(app)
        for n in range(10):
            saves = n + 1
            app.save_update("sample", "2.1.1", FormValues(note=f"Step {n}"))
            assert await wait_for(
                lambda n=n: (
                    sum(m.startswith("Saved sample:2.1.1") for m in app.notify.messages) == n + 1
                ),
                pilot,
            )
        assert len(forced) == 10
        found = app.find_action("sample", "2.1.1")
        assert found is not None
        assert [u.note for u in found[2].action.updates][-10:] == [f"Step {n}" for n in range(10)]
        assert not [m for m in app.notify.messages if "changed on disk" in m]
        other.write_text('[plan]\ntitle = "Other plan, renamed"\n')
        touch_later(other)
        assert await wait_for(
            lambda: any("changed on disk" in m for m in app.notify.messages), pilot
        )
        assert await wait_for(lambda: app.portfolio.plan("other").title.endswith("renamed"), pilot)
        said = [m for m in app.notify.messages if "changed on disk" in m]
        assert said == [f"Reloaded, changed on disk: {other}"]  # once, however the polls fall
        assert "again" in forced
        app.workers.cancel_all()
    assert (plans / "sample.toml").read_text().count('note = "Step ') == 10


async def test_a_save_a_load_missed_is_still_the_apps_own(plans):
    """A load that read the folder just before a save wrote leaves the app comparing with
    the file as it was: the save's file is still known as its own, until someone else
    changes it."""
    path = plans / "sample.toml"
    async with running(plans, history=False, user="Head of Early Help") as (app, pilot):
        missed = app.known
        app.save_update("sample", "2.1.1", FormValues(note="Step"))
        assert await wait_for(
            lambda: any(m.startswith("Saved") for m in app.notify.messages), pilot
        )
        app.known = missed  # as that load leaves it
        app.poll_once()
        await pilot.pause()
        assert (
            app.known is not missed and "Step" in app.portfolio.file_for("sample").path.read_text()
        )
        assert not [m for m in app.notify.messages if "changed on disk" in m]
        path.write_text(path.read_text().replace('note = "Step"', 'note = "Step, edited"'))
        touch_later(path)
        app.poll_once()
        assert await wait_for(
            lambda: f"Reloaded, changed on disk: {path}" in app.notify.messages, pilot
        )
