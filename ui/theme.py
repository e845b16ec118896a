"""Look and feel for gloved hands at arm's length: system fonts only (no web fonts), big targets."""

from __future__ import annotations

from pathlib import Path

SYSTEM_FONTS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "DejaVu Sans", "Arial", "sans-serif")
MONO_FONTS = ("ui-monospace", "DejaVu Sans Mono", "Consolas", "monospace")
CSS_FILE = Path(__file__).with_name("tablet.css")


def theme():
    """A Base theme with plain font-family names: gradio emits no @font-face or font links for them."""
    import gradio as gr

    return gr.themes.Base(
        primary_hue="blue",
        neutral_hue="slate",
        text_size=gr.themes.sizes.text_lg,
        spacing_size=gr.themes.sizes.spacing_lg,
        radius_size=gr.themes.sizes.radius_md,
        font=list(SYSTEM_FONTS),
        font_mono=list(MONO_FONTS),
    ).set(
        body_text_size="18px",
        button_large_text_size="20px",
        input_text_size="18px",
    )


def css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


HEAD = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def launch_options() -> dict:
    """theme/css/head for `gr.mount_gradio_app` or `Blocks.launch` (gradio 6 takes them there)."""
    return {"theme": theme(), "css": css(), "head": HEAD}
