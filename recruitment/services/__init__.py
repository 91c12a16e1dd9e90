"""The recruitment services, one module per stage of a campaign, each service one
transaction (see ``common`` for what they share):

- ``campaigns``: opening a campaign, deciding its announcement, closing registration,
  cancelling;
- ``applications``: public registration;
- ``review``: eligibility review, waivers, the end of the review with admission tickets;
- ``written_exam``: written scores (typed or imported) and the interview shortlist;
- ``interview``: interview marks, the ranking, tie decisions and the end of the exams;
- ``notice``: the confirmed ranking, the public notice of proposed hires and objections;
- ``hiring``: the confirmed hires, drafted contracts, the reserve list and the letters.

Each step that ends a task of the campaign flow (``workflows.flows``) is one service here,
called by that task's view and by nothing else.
"""
