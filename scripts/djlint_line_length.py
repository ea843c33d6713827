"""djLint rule L001 (see .djlint_rules.yaml): no template line over max_line_length characters.

djLint's max_line_length only guides its formatter, which leaves long text and long template
tags as they are, so nothing in `djlint --lint` fails on them. This rule does. Every line
counts, those in <style>, <script> and comments too, which djLint's pattern rules skip.
"""


def run(rule, config, html, filepath, line_ends, *args, **kwargs):
    limit = config.max_line_length
    return [
        {
            "code": rule["name"],
            "line": f"{number}:{limit}",
            "match": line[limit:].strip()[:20],
            "message": rule["message"],
        }
        for number, line in enumerate(html.splitlines(), start=1)
        if len(line) > limit
    ]
