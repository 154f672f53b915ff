"""Pages of the skills matrix, one module per concern: the heat map (``matrix``), an employee's profile
(``profile``), the skills catalogue (``catalogue``), mapping review (``mappings``) and the level scale
(``levels``). Job pages belong to ``workforce``."""
