"""Review and publish notebooks as dashboards: analysts submit, stewards review (nbdime diff),
approve or reject with a comment, and roll back. Only approved, current versions are served.

    from agora.publish import Actor, submit, review, approve
    s = submit("uec.ipynb", title="UEC flow", description="...", audience="partnership",
               actor=Actor("alice", frozenset({"analyst"})))
"""
from .actors import Actor
from .errors import Conflict, InvalidName, InvalidNotebook, NotAllowed, NotFound, PublishError
from .store import served_dir
from .workflow import (approve, audience_of, dashboards, pending, published, reject, review,
                       rollback, submit)

__all__ = ["Actor", "Conflict", "InvalidName", "InvalidNotebook", "NotAllowed", "NotFound",
           "PublishError", "approve", "audience_of", "dashboards", "pending", "published",
           "reject", "review", "rollback", "served_dir", "submit"]
