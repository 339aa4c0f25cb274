"""load_json: JSON as json.loads reads it, refused past a nesting depth whatever it holds."""

import pytest

from messaging.providers.helpers import MAX_JSON_DEPTH, load_json


def test_reads_json_up_to_the_depth_limit():
    body = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert load_json(body.encode()) is not None


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_refuses_json_nested_past_the_limit_with_a_value_error(depth):
    with pytest.raises(ValueError):
        load_json(('{"a": ' * depth + "1" + "}" * depth).encode())


def test_brackets_inside_strings_nest_nothing():
    text = '{"a": "[[[{{{\\"[[[", "b": [["]]]"]]}'
    assert load_json(text, max_depth=3) == {"a": '[[[{{{"[[[', "b": [["]]]"]]}


def test_flat_limit_refuses_any_nested_value():
    assert load_json(b'{"clientToken": "t", "secret": "1"}', max_depth=1)["secret"] == "1"
    with pytest.raises(ValueError):
        load_json(b'{"clientToken": "t", "secret": ["1"]}', max_depth=1)


def test_invalid_json_is_a_value_error():
    with pytest.raises(ValueError):
        load_json(b"{not json")
