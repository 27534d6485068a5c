"""Chinese working days (调休 included) and deadlines counted in them (issue 13 item 2).

engine.py is the arithmetic, free of Django; selectors.py gives it the year's
schedule (an admin's entry, else chinesecalendar, else unknown); services.py
records an admin's entry and has open deadlines recomputed (hooks.py).
"""
