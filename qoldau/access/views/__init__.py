"""The access app's pages, by family: `public` (the map, an object's public page, reporting a
barrier; no sign-in), `objects` (objects, imports and barrier reports for officers and
owners), `passports` (surveyors' passports, measures), `progress` (progress to the target
year)."""
