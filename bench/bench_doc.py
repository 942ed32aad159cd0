"""Write one section of ``docs/benchmarks.md``, keeping every other section as it is."""
from pathlib import Path

HEADER = '# ltr_mm benchmarks\n\nMeasured numbers, each section written by the script it names.\n'


def write_section(doc: str, section: str, text: str) -> None:
    """Replace the section whose heading line is ``section`` (``'## ...'``) by ``text``.

    ``text`` starts with that heading. A missing section is appended; a missing file is created
    with the benchmarks header.
    """
    path = Path(doc)
    old = path.read_text() if path.exists() else HEADER
    start = old.find(section + '\n')
    if start < 0:
        new = old.rstrip('\n') + '\n\n' + text
    else:
        nxt = old.find('\n## ', start + len(section))
        new = old[:start] + text + ('\n' + old[nxt + 1:] if nxt >= 0 else '')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new.rstrip('\n') + '\n')
