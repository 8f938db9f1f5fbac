"""Start the Gradio app: python app.py (serves on 127.0.0.1:7860 unless GRADIO_SERVER_* say otherwise)."""

from assistant.ui import serve

if __name__ == "__main__":
    serve()
