-- Schema 9: a member's type and country may be unknown, and the animator's vocabulary
-- maps HelloAsso tariff names to member types.
-- NULL member_type means "type unknown": the export did not say, and no type is
-- invented (the SME share counts these members apart). NULL country likewise. The CHECK
-- on member_type lets NULL through (a CHECK fails only on false). members_history was
-- made with CREATE TABLE AS and has no NOT NULL to drop.
ALTER TABLE members ALTER COLUMN member_type DROP NOT NULL;
ALTER TABLE members ALTER COLUMN country DROP NOT NULL;

-- One row per term. ``words`` is the term normalised as clusterkpi.member_vocabulary
-- normalises tariff names (lower case, no accents, punctuation turned into single
-- spaces); a tariff matches a term when its words contain the term's words, and the
-- longest matching term wins. member_type NULL: the term names members that have no
-- organisation type (a private person), counted as of unknown type.
-- Written by clusterkpi.member_vocabulary only.
CREATE TABLE member_type_terms (
    words       VARCHAR PRIMARY KEY CHECK (words <> ''),
    term        VARCHAR NOT NULL,
    member_type VARCHAR CHECK (member_type IN ('sme', 'large_company', 'startup',
                'research_lab', 'training_centre', 'funder', 'public_body', 'association')),
    changed_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- French defaults, editable from the Membership page or `vocabulary set|delete`.
-- 'Laboratoire / Organisme de formation' is one HelloAsso tariff for two kinds of
-- members: it maps to research_lab (both are non-SME knowledge members, so the SME
-- share stays right); an animator whose tariff means training centres changes it.
-- 'Entreprise individuelle' (a sole trader) is an SME, and, being longer, wins over
-- 'Individuelle' (a private person's membership: no organisation type).
INSERT INTO member_type_terms (words, term, member_type)
SELECT trim(regexp_replace(strip_accents(lower(term)), '[^a-z0-9%#]+', ' ', 'g')),
       term, member_type
FROM (VALUES
    ('Adhésion PME', 'sme'), ('PME', 'sme'), ('TPE', 'sme'), ('PMI', 'sme'),
    ('Petite entreprise', 'sme'), ('Microentreprise', 'sme'),
    ('Micro-entreprise', 'sme'), ('Entreprise individuelle', 'sme'),
    ('Grande entreprise', 'large_company'), ('ETI', 'large_company'),
    ('Grand groupe', 'large_company'),
    ('Start-up', 'startup'), ('Startup', 'startup'), ('Jeune pousse', 'startup'),
    ('Laboratoire', 'research_lab'), ('Organisme de recherche', 'research_lab'),
    ('Centre de recherche', 'research_lab'), ('Université', 'research_lab'),
    ('Laboratoire / Organisme de formation', 'research_lab'),
    ('Organisme de formation', 'training_centre'),
    ('Centre de formation', 'training_centre'), ('École', 'training_centre'),
    ('Collectivité', 'public_body'), ('Établissement public', 'public_body'),
    ('Organisme public', 'public_body'),
    ('Association', 'association'), ('Fédération', 'association'),
    ('Financeur', 'funder'), ('Banque', 'funder'), ('Investisseur', 'funder'),
    ('Personne physique', NULL), ('Individuelle', NULL), ('Individuel', NULL)
) AS v(term, member_type);
