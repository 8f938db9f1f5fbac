"""The web app's optional login, with failed attempts throttled.

Gradio calls the checker for every login attempt and shows its own "incorrect credentials"
message when it returns False. Without a limit, a script can try passwords as fast as the server
answers; here each user name (and the app as a whole) gets a few failures per window, after which
every attempt for that name is refused until the window has passed, the right password included.
Passwords are compared in constant time.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections import defaultdict, deque

from assistant.loaders import shown_path

logger = logging.getLogger(__name__)

MAX_FAILURES_PER_USER = 5
MAX_FAILURES_OVERALL = 50  # many names tried at once (a spray) lock the login for everyone briefly
WINDOW_S = 300.0


class ThrottledLogin:
    """A Gradio ``auth`` callable over fixed (user, password) pairs."""

    def __init__(
        self,
        pairs: list[tuple[str, str]],
        max_failures: int = MAX_FAILURES_PER_USER,
        max_overall: int = MAX_FAILURES_OVERALL,
        window_s: float = WINDOW_S,
        clock=time.monotonic,
    ) -> None:
        self._passwords = dict(pairs)
        self.max_failures = max_failures
        self.max_overall = max_overall
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._overall: deque[float] = deque()
        self._lock = threading.Lock()

    def _recent(self, times: deque[float], now: float) -> int:
        while times and now - times[0] > self.window_s:
            times.popleft()
        return len(times)

    def locked(self, username: str) -> bool:
        now = self._clock()
        with self._lock:
            return (
                self._recent(self._failures[username], now) >= self.max_failures
                or self._recent(self._overall, now) >= self.max_overall
            )

    def __call__(self, username: str, password: str) -> bool:
        username, password = str(username or ""), str(password or "")
        if self.locked(username):
            logger.warning("login refused for %s: too many failed attempts, locked for a while", shown_path(username))
            return False
        expected = self._passwords.get(username)
        # compare_digest on bytes of both: constant time whether or not the user exists.
        ok = hmac.compare_digest(password.encode(), (expected if expected is not None else "\0" + password).encode())
        if not ok:
            now = self._clock()
            with self._lock:
                self._failures[username].append(now)
                self._overall.append(now)
            logger.warning("failed login for %s", shown_path(username))
        return ok
