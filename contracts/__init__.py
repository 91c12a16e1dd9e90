"""Directors' contracts and their term: trainings, assessments, rewards, endings, vacancies."""
