"""A logging filter that keeps health data out of the logs.

Django attaches the request to error records (``record.request``) and formats messages with
its path and query; exception messages can quote the values that failed. This filter keeps a
method, a path, the exception's type and where it was raised (file and line), and drops the
request object, the query string, the exception message and the traceback's text.
"""

from __future__ import annotations

import logging
import traceback


class NoHealthData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            request = record.request
            record.request = None
            record.msg = f"{getattr(request, 'method', '')} {getattr(request, 'path', '')} failed"
            record.args = ()
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = record.msg.split("?", 1)[0]
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, tb = record.exc_info
            where = traceback.extract_tb(tb)[-1] if tb else None
            place = f" at {where.filename}:{where.lineno}" if where else ""
            record.msg = f"{record.getMessage()} ({kind.__name__}{place})"
            record.args = ()
            record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
