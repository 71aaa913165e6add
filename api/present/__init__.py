"""A plan shown to people: the timeline picture (`timeline.timeline_svg`), the client handout
(`handout.handout_pdf`) and the deadlines' calendar feed (`calendar.calendar_ics`), with their words in English
and French (`words.Words`). Pure functions of a solver Plan, its Scenario, a language and a day; no I/O."""
