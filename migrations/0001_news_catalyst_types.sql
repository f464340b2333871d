-- The catalyst vocabulary grows to the domain's CATALYST_TYPES (packages/domain/src/news/types.ts):
-- trial results, analyst initiations and price targets, dividend changes, investigations, recalls,
-- partnerships, bankruptcies and halts join the original fifteen. Both columns that hold a
-- catalyst type accept the same list.

ALTER TABLE catalysts DROP CONSTRAINT catalysts_type_check;
ALTER TABLE catalysts ADD CONSTRAINT catalysts_type_check CHECK (type IN (
  'earnings_beat', 'earnings_miss', 'guidance_raise', 'guidance_cut', 'fda_approval', 'fda_rejection',
  'trial_result', 'merger_acquisition', 'analyst_upgrade', 'analyst_downgrade', 'analyst_initiation',
  'price_target', 'offering', 'buyback', 'dividend_change', 'lawsuit', 'investigation', 'recall',
  'contract_win', 'partnership', 'executive_change', 'bankruptcy', 'halt', 'other'));

ALTER TABLE trades DROP CONSTRAINT trades_catalyst_type_check;
ALTER TABLE trades ADD CONSTRAINT trades_catalyst_type_check CHECK (catalyst_type IN (
  'earnings_beat', 'earnings_miss', 'guidance_raise', 'guidance_cut', 'fda_approval', 'fda_rejection',
  'trial_result', 'merger_acquisition', 'analyst_upgrade', 'analyst_downgrade', 'analyst_initiation',
  'price_target', 'offering', 'buyback', 'dividend_change', 'lawsuit', 'investigation', 'recall',
  'contract_win', 'partnership', 'executive_change', 'bankruptcy', 'halt', 'other'));
