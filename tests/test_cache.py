"""The process-wide model cache."""
from __future__ import annotations

import threading

from despin import cache


def test_a_model_may_load_another_while_it_is_built():
    # The engine compiles the thesaurus on a fresh cache folder, and that loads the word vectors:
    # both go through cache.model, in the same thread.
    done = []

    def outer():
        inner = cache.model("test:inner", lambda: "vectors")
        return f"engine with {inner}"

    worker = threading.Thread(target=lambda: done.append(cache.model("test:outer", outer)), daemon=True)
    worker.start()
    worker.join(timeout=10)  # a deadlock would hang here, not the whole suite
    assert done == ["engine with vectors"]
    assert cache.model("test:outer", lambda: "rebuilt") == "engine with vectors"  # built once
