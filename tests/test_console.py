"""The console chat drives the real Application: typed lines in, printed replies out."""

from bot.app import build_application
from bot.console import ConsoleRequest, run_console


async def test_a_console_conversation(settings, kbs) -> None:  # type: ignore[no-untyped-def]
    printed: list[str] = []
    request = ConsoleRequest(out=printed.append)
    app = build_application(settings, request=request,
                            kbs=kbs)
    typed = iter(["2", "wat shoes shud my son wear", "/faq", "3", "/quit"])
    await run_console(app, request, read=lambda _prompt: next(typed))
    screen = "\n".join(printed)
    assert "bot> Which program is your child in?\n   [1] Kids Run the OC (KROC)" in screen
    assert "bot> Welcome to Little Rockers Kids Marathon!" in screen
    assert "Wear running shoes or sneakers and socks." in screen
    assert "[3] Tracking miles" in screen
    assert "bot> (updated) Tracking miles: pick a question." in screen
    assert screen.endswith("Bye! Happy running! 🏃")


async def test_end_of_input_closes_the_console(settings, kbs) -> None:  # type: ignore[no-untyped-def]
    printed: list[str] = []
    request = ConsoleRequest(out=printed.append)
    app = build_application(settings, request=request,
                            kbs=kbs)

    def closed(_prompt: str) -> str:
        raise EOFError

    await run_console(app, request, read=closed)
    assert printed[-1] == "\nBye! Happy running! 🏃"


async def test_typing_a_buttons_label_presses_it_and_pictures_are_saved(  # type: ignore[no-untyped-def]
        settings, kbs, tmp_path) -> None:
    printed: list[str] = []
    request = ConsoleRequest(out=printed.append, pictures=tmp_path / "pictures")
    app = build_application(settings, request=request,
                            kbs=kbs)
    typed = iter(["1", "/addkid Emma", "2", "skip", "Emma ran 1 mile", "/progress", "/quit"])
    await run_console(app, request, read=lambda _prompt: next(typed))
    screen = "\n".join(printed)
    assert "✅ Emma (grade 2) is on your team!" in screen  # "2" is the grade, not button [2]
    assert "✅ Logged 1 mile for Emma, today." in screen
    picture = tmp_path / "pictures" / "picture-1.png"
    assert f"[picture: {picture}]" in screen
    assert picture.read_bytes()[:4] == b"\x89PNG"
