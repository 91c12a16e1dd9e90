"""The printed extract of a personnel archive (``archive.kinds.ARCHIVE_EXTRACT``): the
person's particulars, every event of the archive and every document about them, as
``archive.selectors.person_archive`` reads them."""

import datetime

from archive.selectors import Archive
from core.identity import age_on


def archive_extract_context(archive: Archive, *, on: datetime.date) -> dict:
    """What ``templates/paperwork/archive/archive_extract.html`` prints, as of ``on``. Build
    it with Chinese active: the events' texts and the labels are read in the active
    language. The ID and phone numbers are masked, and the age stands in for the birth date
    (which, beside a masked ID number, would give the number back)."""
    person = archive.person
    contract = archive.contract
    return {
        "person": person,
        "masked_id": person.masked_id_number,
        "masked_phone": person.masked_phone,
        "age": age_on(person.birth_date, on),
        "sex": person.get_sex_display(),
        "education": person.get_education_display(),
        "township": person.township,
        "village": person.village,
        "contract": contract,
        "contract_state": contract.get_state_display() if contract else "",
        "events": archive.events,
        "documents": archive.documents,
        "on": on,
    }
