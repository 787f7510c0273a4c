"""The case file of a WBP shows sections that the apps further along the flow register."""

from rehab.sections import Sections

# Built with (request, inmate): screening, programmes, release, each from its own app.
case_file = Sections()
