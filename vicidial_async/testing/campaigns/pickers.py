"""ingroup_list: the HTML picker of inbound groups."""

from __future__ import annotations

from ..core import Call, handles
from ..wire import picker_page


@handles("non_agent", "ingroup_list")
def ingroup_list(call: Call) -> str:
    """ingroup_list: hTML picker listing active inbound groups (group_id, group_name, group_color); parse
    the table rows to get the list programmatically.
    """
    rows = [
        (g.group_id, g.group_name, g.group_color)
        for g in call.state.in_groups.values()
        if g.user_group == "---ALL---" or call.views_group(g.user_group)
    ]
    return picker_page(call.get("comments"), rows)
