"""One module per verb group; each exposes `register(verbs, common)`."""

from floorwise.commands import ask_cmd, eval_cmd, ingest_cmd, models_cmd, serve_cmd, user_cmd

REGISTRY = [ingest_cmd.register, ask_cmd.register, models_cmd.register, eval_cmd.register, serve_cmd.register,
            user_cmd.register]
