"""A logging filter that keeps health data out of the logs.

Django attaches the request to error records (``record.request``) and formats messages with
its path and query. This filter drops the request object and the query string, so a log line
holds a method, a path and a status, never form values, diary notes or names.
"""

from __future__ import annotations

import logging


class NoHealthData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            request = record.request
            record.request = None
            path = getattr(request, "path", "")
            record.msg = f"{getattr(request, 'method', '')} {path} failed"
            record.args = ()
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = record.msg.split("?", 1)[0]
        record.exc_text = None
        return True
