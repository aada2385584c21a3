-- A few orders to ask about (MERGE: running the script twice leaves the same rows)
MERGE INTO orders (id, customer, item, status, updated) KEY (id) VALUES
    ('4711', 'ann',  'a pair of hiking boots', 'shipped',      DATE '2025-06-02'),
    ('4712', 'ann',  'a rain jacket',          'being packed', DATE '2025-06-03'),
    ('4713', 'bob',  'a camping stove',        'delivered',    DATE '2025-05-28'),
    ('4714', 'cleo', 'a sleeping bag',         'shipped',      DATE '2025-06-01'),
    ('4715', 'dan',  'a head torch',           'delivered',    DATE '2025-05-30');
