"""The tracked-link redirect answered before the middleware a person's visit needs.

A tap on /l/<code> needs no session, no language, no CSRF check, no user, no messages, no
login throttling: TrackedLinkMiddleware, placed right after the request id and the security
headers, answers those paths itself and the rest of the stack never runs for them. Every
other path goes on down the stack untouched.
"""

from django.core.handlers.exception import response_for_exception

from analytics import redirect

PREFIX = "/l/"


class TrackedLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(PREFIX):
            return self.get_response(request)
        try:
            return redirect.follow(request, path[len(PREFIX) :])
        except Exception as error:  # noqa: BLE001 - answered as Django's handler would (404, 500)
            return response_for_exception(request, error)
