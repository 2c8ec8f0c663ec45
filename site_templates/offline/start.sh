#!/bin/sh
# Start the offline handbook: serve it on 127.0.0.1 and open the browser (Ctrl+C stops).
cd "$(dirname "$0")" || exit 1
for python in python3 python; do
  if command -v "$python" >/dev/null 2>&1; then
    exec "$python" serve.py "$@"
  fi
done
echo "Python 3 is needed to start the calculators (https://www.python.org/downloads/)." >&2
echo "Without it, open site/index.html directly: everything except the calculators works." >&2
exit 1
