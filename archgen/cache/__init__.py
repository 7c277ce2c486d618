"""Is an output current? Its cache key (``keys``), stored inside the file (``stamp``), and
the comparison of the two (``freshness``): decided by keys, never by pixels."""
