-- The shop's orders, as the order-status assistant reads them. The customer is the key of the customer's
-- conversation with the agent: the desk's replies to a ticket about an order go into that customer's channel.
CREATE TABLE IF NOT EXISTS orders (
    id       VARCHAR(20)  PRIMARY KEY,
    customer VARCHAR(40)  NOT NULL,
    item     VARCHAR(100) NOT NULL,
    status   VARCHAR(40)  NOT NULL,
    updated  DATE         NOT NULL
);
