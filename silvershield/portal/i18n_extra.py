"""Words the portal shows that are defined elsewhere (leads' choices, the sign-in page's portal link) and
that the shared catalogue does not translate yet: listed here so `makemessages` in this app picks them up."""

from django.utils.translation import gettext_noop

EXTRA_MSGIDS = [
    # leads.ReporterRelation
    gettext_noop("myself"), gettext_noop("son or daughter"), gettext_noop("husband or wife"),
    gettext_noop("other relative"), gettext_noop("neighbour or friend"), gettext_noop("other"),
    # leads.Approach
    gettext_noop("free health lecture"), gettext_noop("free gifts or eggs"), gettext_noop("free or cheap trip"),
    gettext_noop("phone call"), gettext_noop("home visit"), gettext_noop("shop or experience store"),
    gettext_noop("internet, live stream or short video"),
    # templates/core/login.html
    gettext_noop("Public reporting portal"),
]
