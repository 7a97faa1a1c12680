"""Contact files an office already has (CSV from Google, Outlook, Excel, Thunderbird; vCard 2.1/3.0/4.0), read
into plain records the store imports, and written back out. No database and no Qt here: a script can use it.

Character sets are guessed with `charset-normalizer` (decode.py), vCards are parsed and written with `vobject`
(vcard.py), CSV with the standard library's `csv` (table.py); phones are compared through models/normalise.py.
"""
