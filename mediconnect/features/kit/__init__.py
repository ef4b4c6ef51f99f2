"""What every page shares: the one page-call helper (``calls``), the one formatting module
(``format``) and the shared widgets (``widgets``, ``fields``, ``frames``), plus the list-paging
mixin (``paging``). Nothing here knows about one feature; features import from here, never
from each other."""
