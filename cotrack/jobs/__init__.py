"""Background work on a task queue (Huey): email delivery, digests, imports, exports.

How to use it (README, "Mail and the worker"):

- A package that has slow work registers a task in its own ``init_app(app)``::

      jobs.register(app, "mail.deliver", deliver, retries=8, retry_delay=30,
                    retry_backoff=2)
      jobs.register_periodic(app, "mail.sweep", sweep, minute="*")

  The function runs in the worker inside an app context of this app; the app's database
  session is removed after each task, so a task commits what it wants to keep.
- Code that writes (a service, inside the request's transaction) asks for a task to run
  once that transaction is committed, never before and never if it is rolled back::

      jobs.enqueue_after_commit("mail.deliver", mail.id)

  Work that must not be lost keeps its state in a table written in the same transaction
  (the mail outbox does) and a periodic task picks up what the queue lost.
- ``jobs.enqueue("name", *args)`` enqueues at once (a worker's own follow-up work).

Nothing happens at import: :func:`init_app` builds the Huey instance from the app's config
(``SqliteHuey`` in the instance folder, ``RedisHuey`` when ``REDIS_URL`` is set, immediate
mode when ``HUEY_IMMEDIATE``), and tasks are registered on it by name, so the web
processes and the worker (``flask worker``) build the same registry from the same code.
"""

from cotrack.jobs.queue import (
    dispatch_ready,
    enqueue,
    enqueue_after_commit,
    huey_of,
    init_app,
    queue_length,
    register,
    register_periodic,
)

__all__ = ["dispatch_ready", "enqueue", "enqueue_after_commit", "huey_of", "init_app",
           "queue_length", "register", "register_periodic"]
