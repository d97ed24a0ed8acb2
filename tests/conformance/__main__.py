"""``make conformance``: per service with a vendor description, how its responses compare.

``python -m tests.conformance [SERVICE ...]`` prints, per service (S3's against botocore's
service model, see :mod:`tests.conformance.s3_suite`): the vendor operations the
suite exercised of those the service emulates, the responses validated against a schema,
how many are valid (and how many of those only by the allow-list), those that cannot be
validated (an error status the vendor documents no body for), and request paths the
vendor's description lacks; then each failure, unexercised operation and unmatched route.
"""

from __future__ import annotations

import sys

from tests.conformance.s3_suite import check_s3, summarise_s3
from tests.conformance.suite import check_service, describe, summarise
from tests.conformance.vendor import VENDORS, vendor_specs_dir


def main(argv: list[str]) -> int:
    names = argv or [*sorted(VENDORS), "s3"]
    # S3's description is botocore's model, shipped with the test dependencies: always here
    summaries = [summarise_s3(check_s3())] if "s3" in names else []
    names = [name for name in names if name != "s3"]
    if names and vendor_specs_dir() is None:
        print("no vendor descriptions here (../shared/vendor-specs or $APIBENCH_VENDOR_SPECS)")
        names = []
    summaries[:0] = [summarise(name, check_service(name)) for name in names]
    for summary in summaries:
        print(summary.line())
    for summary in summaries:
        shown: set[str] = set()
        for failure in summary.failures:
            text = describe(failure)
            key = text.split(" (", 1)[0] + text.rsplit("):", 1)[-1]
            if key not in shown:
                shown.add(key)
                print(f"  {summary.service}: {text}")
        for path in sorted(summary.unknown_paths):
            print(f"  {summary.service}: requested, not in the vendor's description: {path}")
        for name in sorted(summary.unexercised):
            print(f"  {summary.service}: emulated, not exercised by the suite: {name}")
        for route in sorted(summary.unmatched_routes):
            print(f"  {summary.service}: a route the vendor's description lacks: {route}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
