"""The Generator seam: chat messages in, streamed text out, temperature 0.

Two back ends, picked by `generation.backend`:

- `LlamaCppGenerator` ("llama"): llama-cpp-python in-process, the chat
  template taken from the GGUF file. One `Llama` holds one KV cache, so a lock
  keeps two streams from interleaving on it, and the cached tokens of the last
  prompt are reused when the next prompt starts with them: the fixed system
  prompt is decoded once, not once per question.
- `OpenAICompatibleGenerator` ("openai"): any server that speaks
  `POST /chat/completions` with `stream=true` (llama.cpp server, vLLM, ...).

>>> sorted(BACKENDS)
['llama', 'openai']
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Protocol, Sequence

from assistant.errors import ConfigError, GenerationError, ModelNotAvailable
from assistant.settings import GenerationSettings

Messages = Sequence[Mapping[str, str]]


@dataclass(frozen=True)
class Usage:
    """What the last stream cost.

    `cached_tokens` were reused from the KV cache and `prefill_tokens` decoded
    anew (llama back end; None when the back end cannot tell).
    """

    prompt_tokens: int = 0
    completion_tokens: int = 0
    first_token_s: float | None = None
    total_s: float = 0.0
    cached_tokens: int | None = None
    prefill_tokens: int | None = None
    truncated: bool = False  # stopped at max_tokens: the last sentence may be cut off

    @property
    def tokens_per_s(self) -> float | None:
        """Generation speed after the first token (None for a one-token answer)."""
        if self.first_token_s is None or self.completion_tokens < 2 or self.total_s <= self.first_token_s:
            return None
        return (self.completion_tokens - 1) / (self.total_s - self.first_token_s)


class Generator(Protocol):
    """Streams an answer to chat messages. `last_usage` describes the last stream.

    `stream(..., schema=...)` constrains the output to JSON of that schema (a llama.cpp
    grammar in-process; `response_format` on a server). `judge` reads the model's own
    yes/no answer to the messages as a probability: the weights of its first token, not
    parsed prose.
    """

    last_usage: Usage

    def stream(self, messages: Messages, max_tokens: int, stop: Sequence[str] = (),
               schema: Mapping | None = None) -> Iterator[str]: ...

    def judge(self, messages: Messages) -> float: ...

    def count_tokens(self, text: str) -> int: ...


YES = ("yes", "Yes", "YES", " yes", " Yes")
NO = ("no", "No", "NO", " no", " No")


def yes_probability(logprobs: Mapping[str, float]) -> float | None:
    """P(yes) from the log-probabilities of candidate first tokens; None when neither is there.

    >>> round(yes_probability({"Yes": -0.1, "No": -2.4, "The": -3.0}), 3)
    0.909
    """
    yes = sum(math.exp(v) for k, v in logprobs.items() if k in YES)
    no = sum(math.exp(v) for k, v in logprobs.items() if k in NO)
    return yes / (yes + no) if yes + no > 0 else None


class _Clock:
    """Times a stream: first piece and total, from construction."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: float | None = None

    def piece(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.start

    def total(self) -> float:
        return time.perf_counter() - self.start


class LlamaCppGenerator:
    """llama-cpp-python in-process; thread-safe (one stream at a time per model).

    >>> gen = LlamaCppGenerator(model_path)                              # doctest: +SKIP
    >>> "".join(gen.stream([{"role": "user", "content": "Say hi"}], 8))  # doctest: +SKIP
    'Hi!'
    """

    def __init__(
        self,
        model_path: Path,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        seed: int = 0,
        temperature: float = 0.0,
    ) -> None:
        try:
            from llama_cpp import Llama
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError as exc:
            raise ModelNotAvailable("llama-cpp-python is not installed; run `pip install -e .`") from exc
        if not Path(model_path).is_file():
            raise ModelNotAvailable(f"model file {model_path} not found; fix models.llm_path or run `make setup`")
        try:
            self._llm = Llama(
                model_path=str(model_path),
                n_ctx=n_ctx,
                n_threads=n_threads or os.cpu_count() or 1,
                seed=seed,
                verbose=False,
            )
        except ValueError as exc:  # llama-cpp raises ValueError for unreadable files
            raise ModelNotAvailable(f"cannot load {model_path}: {exc}; check the file is a GGUF model") from exc
        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise ModelNotAvailable(f"{model_path} carries no chat template; use an instruct GGUF with one")
        eos = self._llm.token_eos()
        bos = self._llm.token_bos()
        self._formatter = Jinja2ChatFormatter(
            template=template,
            eos_token=self._llm._model.token_get_text(eos) if eos != -1 else "",
            bos_token=self._llm._model.token_get_text(bos) if bos != -1 else "",
            stop_token_ids=[eos],
        )
        self.n_ctx = n_ctx
        self.seed = seed
        self.temperature = temperature
        self.last_usage = Usage()
        self._lock = threading.Lock()
        self._grammars: dict[str, object] = {}  # schema JSON -> LlamaGrammar

    @classmethod
    def from_settings(cls, settings: GenerationSettings, model_path: Path | None) -> "LlamaCppGenerator":
        if model_path is None:
            raise ModelNotAvailable("no GGUF model file for the llama back end; set models.llm_path or run `make setup`")
        return cls(model_path, settings.n_ctx, settings.n_threads, settings.seed, settings.temperature)

    def prompt_text(self, messages: Messages) -> str:
        """The exact text the model reads: messages through the GGUF chat template."""
        return self._formatter(messages=[dict(m) for m in messages]).prompt

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _prompt_tokens(self, messages: Messages) -> list[int]:
        return self._llm.tokenize(self.prompt_text(messages).encode("utf-8"), special=True)

    def _cached_prefix(self, tokens: Sequence[int]) -> int:
        """How many leading prompt tokens are already in the KV cache."""
        cached = self._llm.input_ids[: self._llm.n_tokens]
        same = 0
        for a, b in zip(cached, tokens):
            if a != b:
                break
            same += 1
        return min(same, len(tokens) - 1)  # llama-cpp always re-decodes the last one

    def _perf(self) -> tuple[int, int]:
        import llama_cpp

        data = llama_cpp.llama_perf_context(self._llm._ctx.ctx)
        return data.n_p_eval, data.n_eval

    def _grammar(self, schema: Mapping):
        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            from llama_cpp.llama_grammar import LlamaGrammar

            self._grammars[key] = LlamaGrammar.from_json_schema(key, verbose=False)
        return self._grammars[key]

    def _answer_ids(self, words: Sequence[str]) -> list[int]:
        ids = {self._llm.tokenize(w.encode("utf-8"), add_bos=False, special=False)[0] for w in words}
        return sorted(ids)

    def judge(self, messages: Messages) -> float:
        """P(yes) of the model's first answer token after `messages`, against P(no).

        The prompt is decoded into the KV cache as for a stream, so a stream of messages that
        start the same way afterwards reuses it.
        """
        import numpy as np

        with self._lock:
            tokens = self._prompt_tokens(messages)
            cached = self._cached_prefix(tokens)
            clock = _Clock()
            self._llm.n_tokens = cached
            self._llm.eval(tokens[cached:])
            logits = np.ctypeslib.as_array(self._llm._ctx.get_logits(), shape=(self._llm.n_vocab(),)).copy()
            yes, no = self._answer_ids(YES), self._answer_ids(NO)
            top = float(max(logits[yes].max(), logits[no].max()))
            p_yes = float(np.exp(logits[yes] - top).sum())
            p_no = float(np.exp(logits[no] - top).sum())
            self.last_usage = Usage(prompt_tokens=len(tokens), completion_tokens=1, first_token_s=clock.total(),
                                    total_s=clock.total(), cached_tokens=cached, prefill_tokens=len(tokens) - cached)
            return p_yes / (p_yes + p_no)

    def stream(self, messages: Messages, max_tokens: int, stop: Sequence[str] = (),
               schema: Mapping | None = None) -> Iterator[str]:
        """Yield text pieces as they are generated; holds the model for the whole stream."""
        grammar = self._grammar(schema) if schema else None
        with self._lock:
            tokens = self._prompt_tokens(messages)
            if len(tokens) + max_tokens > self.n_ctx:
                raise GenerationError(
                    f"prompt of {len(tokens)} tokens plus {max_tokens} to generate exceeds n_ctx {self.n_ctx}; "
                    "lower retrieval.context_tokens or raise generation.n_ctx"
                )
            cached = self._cached_prefix(tokens)
            perf_before = self._perf()
            clock = _Clock()
            pieces: list[str] = []
            finish = None
            try:
                for chunk in self._llm.create_completion(
                    tokens,
                    max_tokens=max_tokens,
                    temperature=self.temperature,
                    seed=self.seed,
                    stop=list(stop),
                    stream=True,
                    grammar=grammar,
                ):
                    text = chunk["choices"][0]["text"]
                    finish = chunk["choices"][0].get("finish_reason") or finish
                    if text:
                        clock.piece()
                        pieces.append(text)
                        yield text
            finally:
                n_p_eval, _ = self._perf()
                self.last_usage = Usage(
                    prompt_tokens=len(tokens),
                    completion_tokens=self.count_tokens("".join(pieces)) if pieces else 0,
                    first_token_s=clock.first,
                    total_s=clock.total(),
                    cached_tokens=cached,
                    prefill_tokens=n_p_eval - perf_before[0],
                    truncated=finish == "length",
                )


class OpenAICompatibleGenerator:
    """Streams from `POST {base_url}/chat/completions` (server-sent events).

    `count_tokens` has no tokenizer here: it estimates on the high side
    (~3 characters a token), which keeps packed prompts inside the budget.
    """

    def __init__(
        self,
        base_url: str,
        model: str = "default",
        api_key: str | None = None,
        temperature: float = 0.0,
        seed: int = 0,
        timeout_s: float = 120.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.temperature = temperature
        self.seed = seed
        self.timeout_s = timeout_s
        self.last_usage = Usage()

    @classmethod
    def from_settings(cls, settings: GenerationSettings, model_path: Path | None = None) -> "OpenAICompatibleGenerator":
        if not settings.openai_base_url:
            raise ConfigError(
                "generation.backend is 'openai' but generation.openai_base_url is not set; "
                "set it, e.g. http://gpu-box:8000/v1"
            )
        return cls(
            settings.openai_base_url, settings.openai_model, settings.openai_api_key, settings.temperature, settings.seed
        )

    def count_tokens(self, text: str) -> int:
        return math.ceil(len(text.encode("utf-8")) / 3.0)

    def judge(self, messages: Messages) -> float:
        """P(yes) from the server's log-probabilities of its first token (OpenAI `logprobs`);
        servers that give none are read from the token itself (1.0 for yes, 0.0 otherwise)."""
        import httpx

        body = {**self._request(messages, 1, ()), "stream": False, "logprobs": True, "top_logprobs": 10}
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        clock = _Clock()
        try:
            with httpx.Client(timeout=httpx.Timeout(self.timeout_s, connect=10.0)) as client:
                r = client.post(f"{self.base_url}/chat/completions", json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise GenerationError(f"cannot reach the LLM server at {self.base_url} ({exc}); check it is running") from exc
        if r.status_code >= 400:
            raise GenerationError(f"LLM server answered HTTP {r.status_code}: {r.text[:300]}")
        choice = (r.json().get("choices") or [{}])[0]
        content = ((choice.get("logprobs") or {}).get("content") or [{}])[0]
        candidates = {t.get("token", ""): t.get("logprob", -99.0) for t in content.get("top_logprobs") or ()}
        self.last_usage = Usage(prompt_tokens=sum(self.count_tokens(m.get("content", "")) for m in messages),
                                completion_tokens=1, first_token_s=clock.total(), total_s=clock.total())
        p = yes_probability(candidates)
        if p is not None:
            return p
        text = ((choice.get("message") or {}).get("content") or "").strip()
        return 1.0 if text.lower().startswith("yes") else 0.0

    def _request(self, messages: Messages, max_tokens: int, stop: Sequence[str], schema: Mapping | None = None) -> dict:
        body: dict = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "max_tokens": max_tokens,
            "temperature": self.temperature,
            "seed": self.seed,
            "stream": True,
        }
        if stop:
            body["stop"] = list(stop)
        if schema:  # llama.cpp's server and llama-cpp-python's take a schema with json_object
            body["response_format"] = {"type": "json_object", "schema": dict(schema)}
        return body

    def stream(self, messages: Messages, max_tokens: int, stop: Sequence[str] = (),
               schema: Mapping | None = None) -> Iterator[str]:
        import httpx

        url = f"{self.base_url}/chat/completions"
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        clock = _Clock()
        pieces: list[str] = []
        usage: dict = {}
        finish = None
        try:
            with httpx.Client(timeout=httpx.Timeout(self.timeout_s, connect=10.0)) as client:
                with client.stream("POST", url, json=self._request(messages, max_tokens, stop, schema),
                                   headers=headers) as r:
                    if r.status_code >= 400:
                        detail = r.read().decode("utf-8", "replace")[:300]
                        raise GenerationError(
                            f"LLM server at {url} answered HTTP {r.status_code}: {detail}; "
                            "check generation.openai_model and generation.openai_api_key"
                        )
                    for event in _sse_events(r.iter_lines()):
                        if event.get("usage"):
                            usage = event["usage"]
                        for choice in event.get("choices") or ():
                            finish = choice.get("finish_reason") or finish
                            text = (choice.get("delta") or {}).get("content") or ""
                            if text:
                                clock.piece()
                                pieces.append(text)
                                yield text
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise GenerationError(
                f"cannot reach the LLM server at {self.base_url} ({exc}); check generation.openai_base_url "
                "and that the server is running"
            ) from exc
        except httpx.TimeoutException as exc:
            raise GenerationError(
                f"the LLM server at {self.base_url} stopped answering for {self.timeout_s:.0f} s; check its load"
            ) from exc
        except httpx.HTTPError as exc:
            raise GenerationError(f"the LLM server at {self.base_url} failed mid-answer ({exc}); try again") from exc
        finally:
            text = "".join(pieces)
            self.last_usage = Usage(
                prompt_tokens=usage.get("prompt_tokens")
                or sum(self.count_tokens(m.get("content", "")) for m in messages),
                completion_tokens=usage.get("completion_tokens") or (self.count_tokens(text) if text else 0),
                first_token_s=clock.first,
                total_s=clock.total(),
                truncated=finish == "length",
            )


def _sse_events(lines: Iterator[str]) -> Iterator[dict]:
    """Decode the JSON of each `data:` line until `[DONE]`.

    >>> list(_sse_events(iter(['data: {"a": 1}', '', ': ping', 'data: [DONE]', 'data: {"b": 2}'])))
    [{'a': 1}]
    """
    for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            yield json.loads(data)
        except json.JSONDecodeError as exc:
            raise GenerationError(f"LLM server sent a malformed event ({data[:80]!r}); is it OpenAI-compatible?") from exc


# generation.backend -> class; each has from_settings(settings, model_path)
BACKENDS: dict[str, type] = {"llama": LlamaCppGenerator, "openai": OpenAICompatibleGenerator}


def open_generator(settings: GenerationSettings, model_path: Path | None) -> Generator:
    """The generator named by `settings.backend` (model_path is used by "llama" only)."""
    return BACKENDS[settings.backend].from_settings(settings, model_path)
