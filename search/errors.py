class QueryError(ValueError):
    """A query the user has to change; ``field`` names the request parameter
    at fault and ``message`` says what to fix."""

    def __init__(self, message, field="q"):
        super().__init__(message)
        self.message = message
        self.field = field
