"""Which data a screen shows: live data, unless test data is asked for with ?mode=test.

The switch and its banner are templates/includes/_data_mode_switch.html.
"""

PARAMETER = "mode"
TEST = "test"


def shows_test_data(request):
    """True when the request asks to look at test data instead of live data."""
    return request.GET.get(PARAMETER) == TEST
