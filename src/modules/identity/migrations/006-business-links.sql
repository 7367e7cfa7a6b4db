-- Accounts that act for a business: the account's resident is the business's
-- representative on the register when the link is made.
create table business_links (
  account_id bigint not null references accounts (id),
  business_id bigint not null,          -- registry.businesses(id)
  linked_at timestamptz not null default now(),
  primary key (account_id, business_id)
);
