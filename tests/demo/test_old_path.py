"""The demo clinic's old import path keeps working for one release, without the record package
loading the demo package that sits above it."""

from __future__ import annotations

import subprocess
import sys

import spasmcare.demo


def test_the_old_path_names_the_demo_package() -> None:
    from spasmcare.record.synthetic import DemoInfant, demo_clinic, long_record

    assert demo_clinic is spasmcare.demo.demo_clinic
    assert long_record is spasmcare.demo.long_record
    assert DemoInfant is spasmcare.demo.DemoInfant


def test_importing_the_record_package_leaves_the_demo_unloaded() -> None:
    code = (
        "import sys, spasmcare.record, spasmcare.record.synthetic; "
        "print('spasmcare.demo' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
