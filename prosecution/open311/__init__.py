"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

Services are the active concern categories, service definitions their questions, service
requests the concerns. Requests posted here go through `prosecution.services.concern_submit`,
the service the web form uses. Read endpoints never return a sensitive concern, contact
details, internal notes, the resident's own address or their exact location.
"""
