"""Policy question-answering assistant for Shanghai's digital trade and trade in services plan.

Modules, in the order data flows through them:
settings -> loaders -> structure/units -> chunking -> embedding -> index -> retrieval ->
catalogue/router -> answer -> verify -> api -> cli / ui (and evaluation over the api).
"""

from assistant.settings import Settings

__all__ = ["Assistant", "Settings"]


def __getattr__(name: str):
    # Importing the API pulls in torch and chromadb; defer it until someone asks for it.
    if name == "Assistant":
        from assistant.api import Assistant

        return Assistant
    raise AttributeError(name)
