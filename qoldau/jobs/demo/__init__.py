"""The employment demo (issue 14, item 9), made through the app's services on top of the
base demo (`qoldau.console.demo`):

* JOBCOACH (article 002): the Almaty Career Centre's 1,620 participants of 2025 become job
  seekers and a caseload over its job coaches. No one is added: each participant is the
  centre's existing record, and the employment-support delivery already recorded for them
  becomes the first session of their case (`coaching_session_link`), so the people reached
  stay 1,620. Then, through 2025: the stages, placements with Almaty employers, the
  retention follow-ups due by the end of the year, and the case closed when the support
  ends.

  The caseload model: 1,620 people in one year cannot all be open at once under the cap of
  `QOLDAU_JOB_COACH_CASELOAD` (20) a coach. Supported employment is short here: a case is
  opened at the person's first session, about half find a job in four to eleven weeks and
  the coach supports them at work for three to six weeks after the start; the others leave
  within three to eleven weeks. So most cases close during 2025, and the open caseload
  of the centre's 24 coaches stays under the cap at every day of the year (each case opens
  with the coach carrying the fewest open cases). Retention follow-ups go on after a case
  closes. The records stop at the end of 2025 (`AS_OF`), where the articles stop: cases
  still open then, and follow-ups falling due after it, are what the coaches see.

* Almaty employers: generated companies, labelled "(generated)" in their names, with
  headcounts, staff reports for 2024 and 2025, vacancies whose workplaces are buildings of
  the access demo (where it is loaded), the quota's exemptions, warnings and fines.

* Qorgan-M's six job fairs (article 000): the fairs recorded as events become job fairs;
  the 125 people who attended each registered for theirs (with a few who registered and
  did not come), the 65 employers that came (generated, of the fairs' regions), interview
  slots, referrals and hires. The article gives only the attendance: the interviews,
  referrals and hires are generated.

Fixed random seed; loading twice changes nothing (`jobs_demo_is_loaded`). One module per
part: `employers`, `caseload`, `fairs`; what they are made of in `data`.
"""

from __future__ import annotations

from qoldau.core import demo_data as d
from qoldau.core.models import Place
from qoldau.jobs.demo import caseload, employers, fairs
from qoldau.jobs.demo.common import DemoState, Progress, no_progress
from qoldau.jobs.models import JobFair


def jobs_demo_is_loaded() -> bool:
    # The job fairs are made last: a load stopped before them is not taken for a whole one.
    return JobFair.objects.exists()


def load_jobs_demo(progress: Progress = no_progress) -> None:
    """Load the employment demo on a database whose base demo is loaded (the access demo's
    buildings, if loaded, become the vacancies' workplaces)."""
    state = DemoState(progress=progress)
    almaty = Place.objects.get(kato=d.ALMATY, level=Place.Level.REGION)
    employers.load_employers(state, almaty)
    employers.load_vacancies(state, almaty)
    caseload.load_jobcoach(state)
    employers.load_quota_enforcement(state)
    caseload.load_pipeline(state)
    fairs.load_fairs(state)
