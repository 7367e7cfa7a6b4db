-- The public transparency log (RFC 6962 / 9162 Merkle tree).
--
-- An entry is written in the same transaction as the event it records; the sequencer
-- later gives it its place in the tree (leaf_index) in batches, so recording an event
-- never waits on the tree. Entries, tree nodes and signed heads are facts: rows are only
-- ever added (an entry's leaf_index is set once), whoever connects to the database.

create table transparency_entries (
  id bigint generated always as identity primary key,
  entry_type text not null,               -- the event, e.g. applications.step.recorded
  subject text not null,                  -- what it is about, e.g. application-step/123; never personal data
  salt bytea not null,                    -- private: keeps a short record's hash from being guessed
  content_hash bytea not null,            -- SHA-256(salt || canonical record)
  leaf_input bytea not null,              -- the public leaf: type, subject, content hash, time
  leaf_hash bytea not null,               -- SHA-256(0x00 || leaf_input)
  leaf_index bigint unique,               -- position in the tree, set once by the sequencer
  logged_at timestamptz not null default now()
);
create index transparency_entries_waiting on transparency_entries (id) where leaf_index is null;
create index transparency_entries_leaf_hash on transparency_entries (leaf_hash);
create index transparency_entries_subject on transparency_entries (subject);

-- The hash of every complete perfect subtree: (level L, index i) covers leaves
-- [i·2^L, (i+1)·2^L); level 0 holds the leaf hashes. Any proof for any tree size needs
-- at most about 2·log2(size) of these, so proofs stay cheap at millions of entries.
create table transparency_nodes (
  level smallint not null,
  idx bigint not null,
  hash bytea not null,
  primary key (level, idx)
);

-- The sequencer's position. Its row lock serialises sequencers, nothing else.
create table transparency_tree (
  id boolean primary key default true check (id),
  size bigint not null,
  root_hash bytea not null,
  updated_at timestamptz not null default now()
);

create table transparency_keys (
  key_id text primary key,                -- base64 SHA-256 of the public key (as RFC 6962 log ids)
  public_key bytea not null,              -- SubjectPublicKeyInfo, DER
  private_key_cipher text not null,       -- PKCS#8, encrypted under DATA_KEY
  created_at timestamptz not null default now()
);

-- Every signed tree head ever published.
create table transparency_heads (
  id bigint generated always as identity primary key,
  tree_size bigint not null,
  timestamp_ms bigint not null,
  root_hash bytea not null,
  key_id text not null references transparency_keys (key_id),
  signature bytea not null,               -- RFC 6962 DigitallySigned (0x0807, length, Ed25519 signature)
  created_at timestamptz not null default now()
);
create index transparency_heads_size on transparency_heads (tree_size, id);
create index transparency_heads_time on transparency_heads (timestamp_ms);

-- An entry may only gain its place in the tree, once; nothing else about it changes.
create function transparency_entries_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if old.leaf_index is null and new.leaf_index is not null
       and (new.id, new.entry_type, new.subject, new.salt, new.content_hash, new.leaf_input, new.leaf_hash, new.logged_at)
           is not distinct from (old.id, old.entry_type, old.subject, old.salt, old.content_hash, old.leaf_input, old.leaf_hash, old.logged_at) then
      return new;
    end if;
  end if;
  raise exception 'the transparency log is append-only: % on % is not allowed', tg_op, tg_table_name using errcode = 'insufficient_privilege';
end $$;

create function transparency_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the transparency log is append-only: % on % is not allowed', tg_op, tg_table_name using errcode = 'insufficient_privilege';
end $$;

create trigger transparency_entries_no_change before update or delete on transparency_entries
  for each row execute function transparency_entries_append_only();
create trigger transparency_entries_no_truncate before truncate on transparency_entries
  for each statement execute function transparency_append_only();
create trigger transparency_nodes_no_change before update or delete on transparency_nodes
  for each row execute function transparency_append_only();
create trigger transparency_nodes_no_truncate before truncate on transparency_nodes
  for each statement execute function transparency_append_only();
create trigger transparency_heads_no_change before update or delete on transparency_heads
  for each row execute function transparency_append_only();
create trigger transparency_heads_no_truncate before truncate on transparency_heads
  for each statement execute function transparency_append_only();
