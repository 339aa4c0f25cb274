"""Render 100,000 messages with compile_content, against re.sub on every render in the same run.

Run: .venv/bin/python bench/bench_variables.py
"""

import re
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402

if not settings.configured:
    # Only error messages use gettext; no project settings are needed to render.
    settings.configure(USE_I18N=False)

from messaging.variables import URL_FIELDS, compile_content  # noqa: E402

MESSAGES = 100_000

CONTENT = {
    "richCard": {
        "carouselCard": {
            "cardWidth": "MEDIUM",
            "cardContents": [
                {
                    "title": f"{{{{ prenom }}}}, la sélection n°{card}",
                    "description": "Jusqu'à -30 % à {{ ville }} avec le code {{ code }}.",
                    "media": {
                        "height": "MEDIUM",
                        "contentInfo": {"fileUrl": f"https://cdn.example/visuel-{card}.jpg"},
                    },
                    "suggestions": [
                        {
                            "action": {
                                "text": "Voir",
                                "postbackData": f"see_{card}",
                                "openUrlAction": {
                                    "url": f"https://shop.example/c/{card}?p={{{{ prenom }}}}"
                                },
                            },
                            "ctaId": f"cta_{card}",
                        }
                    ],
                }
                for card in range(3)
            ],
        }
    },
    "suggestions": [{"reply": {"text": "STOP", "postbackData": "STOP"}, "ctaId": "cta_stop"}],
}

PLACEHOLDER = re.compile(r"\{\{ *([a-z_][a-z0-9_]{0,31}) *\}\}")


def naive_render(data, values, key=None):
    """The baseline: walk the JSON and run re.sub on every string, on every render."""
    if isinstance(data, str):
        if key in URL_FIELDS:
            return PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), data)
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], data)
    if isinstance(data, dict):
        return {k: naive_render(v, values, k) for k, v in data.items()}
    if isinstance(data, list):
        return [naive_render(item, values, key) for item in data]
    return data


def recipients():
    return [
        {"prenom": f"Client {n}", "ville": "Lyon" if n % 2 else "Paris", "code": f"C{n:06d}"}
        for n in range(MESSAGES)
    ]


def timed(render, values_list):
    start = time.perf_counter()
    for values in values_list:
        render(values)
    return time.perf_counter() - start


def main():
    values_list = recipients()
    compiled = compile_content(CONTENT)
    assert compiled.render(values_list[7]) == naive_render(CONTENT, values_list[7])

    baseline = timed(lambda values: naive_render(CONTENT, values), values_list)
    start = time.perf_counter()
    compiled = compile_content(CONTENT)  # counted: the compiled path pays for compiling once
    timed(compiled.render, values_list)
    compiled_time = time.perf_counter() - start

    print(f"messages rendered:        {MESSAGES:,}")
    print(f"naive re.sub per render:  {baseline:.3f} s ({MESSAGES / baseline:,.0f} msg/s)")
    print(
        f"compile once, render:     {compiled_time:.3f} s ({MESSAGES / compiled_time:,.0f} msg/s)"
    )
    print(f"ratio (naive / compiled): {baseline / compiled_time:.2f}x")


if __name__ == "__main__":
    main()
