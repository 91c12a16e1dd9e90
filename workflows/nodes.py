"""viewflow's nodes without the management pages that would undo a business fact.

A finished step of a campaign is a change the recruitment services made and audited (an
announcement published, admission tickets issued); undoing or reviving the task would not
undo it, and cancelling a single task leaves its timeout armed. These subclasses keep the
pages people use (task detail, execute, assign, unassign) and drop undo, cancel and revive.
A process is stopped by cancelling its campaign, which the flow follows to its end.
"""

from viewflow.workflow import flow


class Start(flow.Start):
    undo_view_class = None


class View(flow.View):
    undo_view_class = None
    cancel_view_class = None
    revive_view_class = None


class Function(flow.Function):
    undo_view_class = None
    revive_view_class = None


class If(flow.If):
    undo_view_class = None
    cancel_view_class = None
    revive_view_class = None


class Timer(flow.Timer):
    revive_view_class = None


class End(flow.End):
    undo_view_class = None
    revive_view_class = None
