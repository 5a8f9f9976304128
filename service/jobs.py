"""Background review runs: a small thread pool, state and progress persisted in the store.

A review is CPU-bound, so one or two workers are enough; more only contend for the same cores.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from service.errors import DossierError
from service.settings import Settings
from service.store import Repository

log = logging.getLogger("dossier_review.jobs")

ProgressFn = Callable[[str, float], None]


class ReviewFn(Protocol):
    def __call__(self, data: bytes, *, overrides: dict[str, Any] | None = ..., settings: Settings | None = ...,
                 progress: ProgressFn | None = ...) -> Any: ...


def default_review_fn(data: bytes, *, overrides: dict[str, Any] | None = None, settings: Settings | None = None,
                      progress: ProgressFn | None = None) -> Any:
    """The real review, imported on first use (it loads models and indexes)."""
    from service.review.pipeline import review_pdf

    return review_pdf(data, overrides=overrides, settings=settings, progress=progress)


def result_to_json(result: Any) -> dict[str, Any]:
    if hasattr(result, "model_dump"):
        return dict(result.model_dump(mode="json"))
    if isinstance(result, dict):
        return result
    raise TypeError(f"the review returned {type(result).__name__}, not a ReviewResult")


class _Throttle:
    """Persist progress at most every `interval` seconds, but always on a new stage."""

    def __init__(self, save: ProgressFn, interval: float) -> None:
        self.save, self.interval = save, interval
        self.last_stage: str | None = None
        self.last_time = 0.0

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.monotonic()
        if stage != self.last_stage or now - self.last_time >= self.interval:
            self.last_stage, self.last_time = stage, now
            try:
                self.save(stage, fraction)
            except Exception:  # noqa: BLE001 - a lost progress update must not fail the review
                log.warning("could not save progress", exc_info=True)


class ReviewRunner:
    def __init__(self, repo: Repository, settings: Settings, review_fn: ReviewFn | None = None,
                 *, workers: int = 1, progress_interval: float = 0.5) -> None:
        self.repo = repo
        self.settings = settings
        self.review_fn: ReviewFn = review_fn or default_review_fn
        self.progress_interval = progress_interval
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(workers, 2)), thread_name_prefix="review")
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        if settings.review_heartbeat_seconds > 0:
            threading.Thread(target=self._heartbeat, name="review-heartbeat", daemon=True).start()

    def _heartbeat(self) -> None:
        """Keep this process's reviews fresh, and fail those whose process stopped beating (a crash,
        or another server sharing the database that died), so none stays 'running' forever."""
        while not self._stop.wait(self.settings.review_heartbeat_seconds):
            try:
                with self._lock:
                    active = list(self._futures)
                self.repo.touch(active)
                if self.repo.mark_interrupted(stale_after=self.settings.review_stale_seconds):
                    log.warning("reviews of a stopped process were marked failed (interrupted)")
            except Exception:  # noqa: BLE001 - the heartbeat must outlive a database hiccup
                log.warning("review heartbeat failed", exc_info=True)

    def submit(self, review_id: str) -> Future[None]:
        """Queue a stored review (state queued) for a run."""
        future = self._pool.submit(self._run, review_id)
        with self._lock:
            self._futures[review_id] = future
        future.add_done_callback(lambda _f: self._forget(review_id, _f))
        return future

    def rerun(self, review_id: str) -> bool:
        """Re-queue a done or failed review from its stored upload; False if it is not in such a state."""
        if not self.repo.requeue(review_id):
            return False
        self.submit(review_id)
        return True

    def wait(self, review_id: str, timeout: float | None = None) -> None:
        with self._lock:
            future = self._futures.get(review_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self, wait: bool = False) -> None:
        self._stop.set()
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _forget(self, review_id: str, future: Future[None]) -> None:
        with self._lock:
            if self._futures.get(review_id) is future:
                del self._futures[review_id]

    def _run(self, review_id: str) -> None:
        review = self.repo.get_review(review_id)
        if review is None:  # deleted while queued
            return
        try:
            data = self.repo.read_upload(review.upload_sha)
        except OSError:
            self.repo.mark_failed(review_id, "upload_missing",
                                  "the uploaded PDF is no longer stored; upload it again")
            return
        if not self.repo.mark_running(review_id):
            return
        progress = _Throttle(lambda stage, f: self._save_progress(review_id, stage, f), self.progress_interval)
        started = time.perf_counter()
        try:
            result = self.review_fn(data, overrides=review.overrides, settings=self.settings, progress=progress)
            payload = result_to_json(result)
        except DossierError as exc:
            log.info("review %s failed: %s (%s)", review_id, exc.code, exc.message)
            self.repo.mark_failed(review_id, exc.code, exc.message)
            return
        except Exception:  # noqa: BLE001 - any bug ends this review, not the worker
            log.exception("review %s failed unexpectedly", review_id)
            self.repo.mark_failed(review_id, "internal_error",
                                  "the review failed unexpectedly; see the server log")
            return
        self.repo.mark_done(review_id, payload)
        log.info("review %s done in %.1f s", review_id, time.perf_counter() - started)

    def _save_progress(self, review_id: str, stage: str, fraction: float) -> None:
        self.repo.set_progress(review_id, stage, min(fraction, 0.99))
