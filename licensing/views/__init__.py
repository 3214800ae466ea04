"""Pages of licensing: the official list (``register``), the applicants' pages
(``applications``) and customs' queue and decisions (``decisions``)."""
