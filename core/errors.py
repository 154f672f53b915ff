"""The one error type for rule violations a user can fix, shown as a message or a JSON error."""


class ApplicationError(Exception):
    def __init__(self, message: str, extra: dict | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.status = status
