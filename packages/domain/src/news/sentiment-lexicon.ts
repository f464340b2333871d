/**
 * The finance lexicon behind the sentiment rules, written for this project (no third-party word
 * list). Terms are lower-case tokens as `tokenizeForSentiment` produces them, separated by spaces;
 * a phrase joins its tokens with "_" ("complete_response_letter") and wins over the single words
 * it contains.
 *
 * Four roles, which one entry may combine:
 * - polarity: what the term says on its own ("upgrade" +1, "lawsuit" −0.8);
 * - quantity: a thing that can go up or down, good when it rises (+1: revenue, guidance) or bad
 *   when it rises (−1: costs, debt, loss);
 * - move: a word that moves a quantity up (+1: rose, raises, soars) or down (−1: fell, narrowed,
 *   cuts), with a strength; "loss narrowed" scores move × quantity = (−1) × (−1) = good news;
 * - negator ("not", "fails to") and intensity ("sharply" ×1.5, "slightly" ×0.65);
 * and a few structure words (barriers, concessions, sources) described on `LexEntry`.
 */

export interface LexEntry {
  /** Polarity when nothing pairs with the term; for a move, the sign of an unpaired move (prices). */
  readonly alone: number;
  readonly quantity?: 1 | -1;
  readonly move?: 1 | -1;
  /** How hard a move pushes its quantity. */
  readonly strength?: number;
  /** A transitive verb ("cuts costs", "extends gains"): look for its quantity to the right first. */
  readonly objectFirst?: true;
  readonly negator?: true;
  /**
   * Scales the nearest scored term. An intensifier that also has a polarity ("record") amplifies
   * a following term of the opposite sign ("record wipeout") instead of adding its own.
   */
  readonly intensity?: number;
  /** A word a move never pairs across ("shares fall amid default" is not "default falls"). */
  readonly barrier?: true;
  /**
   * What follows in the clause counts this much: "despite" concedes it (0.3), "after" gives the
   * background to the news rather than the news.
   */
  readonly concession?: number;
  /** "from", "off": a level right after it is where things were ("slips from record highs"). */
  readonly source?: true;
  /** A level or rating that `source` words cancel ("to hold from buy"). */
  readonly level?: true;
  /** Scales everything said in the text ("?": a question reports nothing yet). */
  readonly whole?: number;
}

type Row = readonly [terms: string, entry: LexEntry];

const rows: Row[] = [];

function polar(value: number, terms: string): void {
  rows.push([terms, { alone: value }]);
}
function level(value: number, terms: string): void {
  rows.push([terms, { alone: value, level: true }]);
}
function quantity(good: 1 | -1, alone: number, terms: string): void {
  rows.push([terms, { alone, quantity: good }]);
}
function move(dir: 1 | -1, strength: number, alone: number, terms: string, extra: Partial<LexEntry> = {}): void {
  rows.push([terms, { alone, move: dir, strength, ...extra }]);
}
function verb(dir: 1 | -1, strength: number, alone: number, terms: string): void {
  move(dir, strength, alone, terms, { objectFirst: true });
}
function negator(alone: number, terms: string): void {
  rows.push([terms, { alone, negator: true }]);
}
function intensity(factor: number, terms: string, alone = 0): void {
  rows.push([terms, { alone, intensity: factor }]);
}
function marker(entry: LexEntry, terms: string): void {
  rows.push([terms, entry]);
}

// Moves up. An unpaired move is read as the price of the stock the headline is about.
move(
  1,
  1.5,
  1.5,
  'soar soars soared soaring surge surges surged surging skyrocket skyrockets skyrocketed rockets rocketed zooms zoomed',
);
move(
  1,
  1.2,
  1.2,
  'jump jumps jumped jumping leap leaps leaped leapt spike spikes spiked spiking pops popped rallies rallied rallying',
);
move(1, 1.2, 1.2, 'rally', { quantity: 1 });
move(
  1,
  1,
  0.8,
  'rise rises rose risen rising climb climbs climbed climbing gained gaining advanced advancing increase increases increased increasing grow grows grew grown growing higher rebound rebounds rebounded rebounding recover recovers recovered recovering',
);
move(1, 1, 0.8, 'gain gains advance advances', { quantity: 1 });
move(1, 1, 0.6, 'strengthen strengthens strengthened outpace outpaces outpaced bounce bounces bounced');
move(1, 1, 0.5, 'upward upwards accelerate accelerates accelerated accelerating');
move(1, 1, 0.6, 'up');
move(1, 1, 1, 'up_<pct> up_<num>');
move(1, 1.3, 0.5, 'double doubles doubled doubling triple triples tripled tripling');
move(
  1,
  1,
  0,
  'wider bigger larger swell swells swelled swollen mount mounts mounted mounting balloon balloons ballooned',
);
verb(1, 1, 0.6, 'boost boosts boosted boosting');
verb(
  1,
  1,
  0.4,
  'raise raises raised raising expand expands expanded expanding restore restores restored reinstate reinstates reinstated resume resumes resumed',
);
verb(1, 1, 0.3, 'hike hikes hiked add adds added lift lifts lifted ramp_up ramps_up ramped_up ramping_up');
verb(1, 1, 0, 'widen widens widened widening extend extends extended extending');

// A signed percentage ("+18%", "-3%") moves whatever it follows.
move(1, 1, 1, '<pct+>');
move(-1, 1, -1, '<pct->');
move(1, 1, 0.5, '<num+>');
move(-1, 1, -0.5, '<num->');

// Moves down.
move(
  -1,
  1.5,
  -1.5,
  'plunge plunges plunged plunging plummet plummets plummeted plummeting tumble tumbles tumbled tumbling crash crashes crashed crashing collapse collapses collapsed collapsing tank tanks tanked tanking crater craters cratered nosedive nosedives nosedived',
);
move(-1, 1.3, -1.3, 'sink sinks sank sunk sinking slump slumps slumped slumping dive dives dived diving');
move(
  -1,
  1,
  -0.8,
  'fall falls fell fallen falling drop drops dropped dropping decline declines declined declining slide slides slid sliding',
);
move(
  -1,
  0.8,
  -0.7,
  'slip slips slipped slipping dip dips dipped dipping retreat retreats retreated retreating stumble stumbles stumbled',
);
move(-1, 1, -0.6, 'lower stall stalls stalled stalling');
move(
  -1,
  1,
  -0.5,
  'down downward slow slows slowed slowing slowing_down slows_down decrease decreases decreased decreasing shrink shrinks shrank shrunk shrinking decelerate decelerates decelerated decelerating',
);
move(-1, 1, -1, 'down_<pct> down_<num>');
move(-1, 0.8, -0.4, 'ease eases eased easing soften softens softened softening');
move(-1, 1, -0.3, 'recede recedes receded receding');
move(-1, 1, 0, 'narrower smaller fewer');
verb(-1, 1.3, -0.8, 'slash slashes slashed slashing halve halves halved');
verb(-1, 1, -0.8, 'lose loses lost losing shed sheds shedding');
verb(-1, 1, -0.7, 'suspend suspends suspended suspending suspension halt halts halted halting axe axes axed');
verb(
  -1,
  1,
  -0.6,
  'cut cuts cutting lowers lowered lowering withdraw withdraws withdrew withdrawn scrap scraps scrapped cancel cancels canceled cancelled pare pares pared paring give_up gives_up gave_up giving_up knock knocks knocked',
);
verb(-1, 1, -0.6, 'pull_back pulls_back pulled_back erase erases erased erasing');
verb(-1, 0.8, -0.4, 'pause pauses paused trim trims trimmed trimming');
verb(-1, 1, -0.3, 'reduce reduces reduced reducing pull pulls pulled eliminate eliminates eliminated');
verb(-1, 1, 0.3, 'settle settles settled dismiss dismisses dismissed');
verb(-1, 1, 0, 'narrow narrows narrowed narrowing end ends ended');

// Quantities that are good when they rise.
quantity(
  1,
  0,
  'revenue revenues sales earnings eps income margin margins ebitda guidance outlook forecast forecasts estimate estimates expectations view views target targets pt dividend dividends payout orders bookings backlog demand shipments deliveries production output stake price valuation rating ratings cash subscribers users customers traffic comps exports gdp jobs payrolls hiring employment workforce investment capacity reserves liquidity holdings productivity stock stocks shares futures dow nasdaq index indexes indices market markets equities economy value appetite',
);
quantity(1, 0.2, 'profit profits profitability growth');
quantity(1, 0.3, 'confidence hopes');
quantity(1, 0.4, 'momentum');
quantity(1, 0.6, 'bull bulls optimism');
quantity(1, 0.7, 'repurchase repurchases');
quantity(1, 0.8, 'buyback buybacks');
quantity(1, 0, 'price_target market_share same_store_sales cash_flow free_cash_flow');

// Quantities that are bad when they rise.
quantity(
  -1,
  0,
  'cost costs expense expenses inflation claims cases tax taxes leverage borrowing borrowings inventory inventories stockpiles vix',
);
quantity(-1, -0.1, 'debt debts liabilities');
quantity(-1, -0.2, 'unemployment jobless burn');
quantity(-1, -0.3, 'deficit churn risk risks volatility infections tariff tariffs');
quantity(-1, -0.4, 'pressure pressures delinquencies tension tensions');
quantity(-1, -0.5, 'concern concerns strain suit');
quantity(-1, -0.6, 'outflows deaths uncertainty anxiety bear bears impairment impairments doubts');
quantity(
  -1,
  -0.7,
  'loss losses headwind headwinds fear fears worry worries defaults downside writedown writedowns investigation investigations probe probes',
);
quantity(-1, -0.8, 'default layoffs layoff lawsuit lawsuits');
quantity(-1, -0.7, 'net_loss short_interest write_down write_downs');

// Earnings, estimates and analyst actions.
polar(1, 'beat beats upgrade upgrades upgraded upgrading blowout');
polar(
  -1,
  'miss misses missed missing downgrade downgrades downgraded downgrading take_a_beating takes_a_beating took_a_beating',
);
polar(0.8, 'exceed exceeds exceeded exceeding surpass surpasses surpassed tops topped');
for (const noun of [
  'estimates',
  'expectations',
  'forecasts',
  'consensus',
  'views',
  'street',
  'the_street',
  'wall_street',
]) {
  polar(1, ['top', 'above', 'ahead_of', 'better_than', 'beating'].map((v) => `${v}_${noun}`).join(' '));
  polar(-1, ['below', 'short_of', 'worse_than'].map((v) => `${v}_${noun}`).join(' '));
  polar(0, ['in_line_with', 'inline_with', 'matches', 'meets', 'met'].map((v) => `${v}_${noun}`).join(' '));
}
polar(-1, 'falls_short fell_short fall_short shortfall');
polar(0.9, 'outperforms outperformed outperforming outperformance');
polar(-0.9, 'underperforms underperformed underperforming underperformance');
level(0.9, 'outperform');
level(-0.9, 'underperform');
level(0.7, 'overweight buy_rating at_buy as_buy rated_buy a_buy');
level(-0.7, 'underweight sell_rating at_sell');
level(1, 'strong_buy top_pick');
level(-1, 'strong_sell');
polar(1, 'street_high');
polar(-1, 'street_low');
polar(0.8, 'raised_to raises_to lifted_to');
polar(-0.8, 'cut_to cuts_to lowered_to lowers_to');
polar(0.3, 'buy inks accepts');
polar(0.4, 'likes betting_on bets_on bet_on');
polar(0.5, 'snapping_up snaps_up warming_up_to crazy_about time_to_buy picks_up picked_up pick_up roaring');
polar(0.6, 'comeback victory');
polar(0.8, 'phenomenal');
polar(
  0,
  'to_buy hold neutral market_perform sector_perform sector_weight peer_perform mkt_perform equal_weight in_line inline flat unchanged mixed up_to',
);
polar(0.4, 'meet meets met');
polar(0.3, 'reaffirm reaffirms reaffirmed reiterate reiterates reiterated');
polar(0.6, 'gainers top_gainers');
polar(-0.6, 'losers top_losers');

// Tone.
polar(0.9, 'bullish stellar');
polar(-0.9, 'bearish dismal disappointing disappoint disappoints disappointed disappointment');
polar(0.8, 'upbeat positive boom booming short_squeeze');
polar(-0.8, 'downbeat negative bleak worse corruption bear_market');
polar(
  0.7,
  'optimistic impressive favorable favourable encouraging promising success successful successfully profitable improve improves improved improving improvement better recovery tailwind tailwinds upside',
);
polar(
  -0.7,
  'pessimistic gloomy gloom weak weaker weakest weakness poor hurt hurts struggle struggles struggling trouble troubled damage damaged unfavorable unfavourable bad worried force_majeure',
);
polar(
  0.6,
  'strong stronger strongest robust undervalued confident best accretive breakout breaking_out winner winners resilient regains great',
);
polar(
  -0.6,
  'sluggish lag lags lagged lagging overvalued bubble threat threats threaten threatens threatened at_risk pullback oversupply dumping dumps dumped',
);
polar(0.5, 'attractive highest milestone secures secured acquitted resolve resolves resolved awarded good');
polar(0.6, 'win wins won winning');
polar(-0.5, 'soft softer softness lowest problem problems expensive concerned selling hit_by idled');
polar(-0.6, 'hit_with hits_the_skids');
polar(-0.8, 'slowest');
polar(0.4, 'solid healthy welcome welcomes welcomed award partnership lands expansion');
polar(0.3, 'contract contracts deal takeover collaboration partners opportunity buying decent');
polar(0.3, 'rate_cut rate_cuts');
polar(-0.3, 'rate_hike rate_hikes');
polar(0.2, 'agreement launch launches launched signs cost_cutting cost_cuts');
polar(-0.3, 'convertible hit');
polar(-0.9, 'worsen worsens worsened worsening deteriorate deteriorates deteriorated deteriorating deterioration');
polar(-1, 'worst carnage wipeout hammered obliterated death_knell');
polar(-0.7, 'writeoff writeoffs write_off write_offs pain furlough furloughs');
polar(-0.5, 'uncertain messy abandon abandons abandoned wavers admonishes bracing_for cashing_out');
polar(0, 'double_digit triple_digit');
intensity(1.3, 'record', 0.6);
level(1, 'record_high record_highs all_time_high all_time_highs');
level(0.8, 'new_high new_highs');
level(0.6, 'week_high week_highs month_high month_highs year_high year_highs');
level(0.5, 'highs');
level(-1, 'record_low record_lows all_time_low all_time_lows');
polar(-1.2, 'record_loss record_losses');
level(-0.8, 'new_low new_lows');
polar(-0.8, 'record_deficit');
level(-0.6, 'week_low week_lows month_low month_lows year_low year_lows');
level(-0.5, 'lows');

// Regulators and trials.
polar(1, 'approval approvals approve approves approved approving');
polar(0.8, 'clearance breakthrough breakthrough_therapy');
polar(0.6, 'clears cleared authorization authorized');
polar(0.7, 'fast_track');
polar(0.5, 'priority_review');
polar(0.4, 'orphan_drug');
polar(-1.2, 'complete_response_letter crl');
polar(-1, 'reject rejects rejected rejection refuse_to_file clinical_hold');

// Capital.
polar(-0.6, 'offering offerings');
polar(-0.4, 'rights_offering');
polar(-0.2, 'notes_offering debt_offering');
polar(0, 'initial_public_offering');
polar(-0.8, 'dilution dilutive secondary_offering');
polar(-0.7, 'reverse_split');
polar(0.7, 'special_dividend');

// Legal, governance, distress.
polar(
  -0.8,
  'sue sues sued suing class_action subpoena subpoenas subpoenaed recall recalls recalled short_seller short_sellers short_report goes_short',
);
polar(-0.7, 'probing penalty penalties charged breach outage');
polar(
  -0.6,
  'investigate investigates investigated investigating accused accuses violation violations fine fined fines ousted oust closure closures lockdown lockdowns delay delays delayed termination terminate terminates terminated',
);
polar(-0.5, 'litigation alleged alleges allegation allegations fired postpone postpones postponed');
polar(-0.4, 'charge charges');
polar(-1, 'fraud fraudulent scandal indicted indictment recession rout selloff sell_off liquidation');
polar(-1.2, 'bankruptcy bankrupt freefall bloodbath');
polar(-1.1, 'insolvency insolvent going_concern');
polar(-1, 'chapter_<num>');
polar(
  -0.9,
  'delist delisting delisted crisis downturn warn warns warned warning warnings restatement restate restates hack hacked cyberattack',
);
polar(
  -0.8,
  'turmoil chaos panic slowdown trade_war fail fails failed failure failing lay_off lays_off laid_off job_cuts',
);
polar(-0.7, 'shutdown shut_down shuts_down contraction contracted contracting');
polar(-0.4, 'resign resigns resigned resignation steps_down step_down stepping_down');
polar(-0.4, 'strike protest protests');
polar(-0.5, 'outbreak');
polar(-0.3, 'virus coronavirus pandemic');

// Phrasal verbs whose "up" is not a price going up.
polar(
  0,
  'sets_up set_up shakes_up shake_up sign_up signs_up free_up frees_up gear_up line_up lines_up wrap_up wraps_up end_up ends_up heads_up follow_up catch_up open_up opens_up speed_up break_up breaks_up',
);

// Negators flip the scored terms in the next few tokens of the same clause.
negator(
  0,
  'not no never nor without neither doesnt dont didnt isnt arent wasnt werent wont cant cannot couldnt wouldnt shouldnt hasnt havent hadnt no_longer',
);
negator(-0.5, 'fails_to fail_to failed_to failing_to');
negator(-0.3, 'unable_to lack_of lacks lacking');
negator(0.3, 'shrugs_off shrugged_off shrugging_off shrug_off');

// Intensity: scales the nearest scored term.
intensity(0.65, 'slightly marginally little');
intensity(0.75, 'edge edges edged inch inches inched tick ticks ticked nudge nudges nudged');
intensity(0.7, 'modest modestly mild mildly');
intensity(0.7, 'somewhat');
intensity(1.2, 'big major further');
intensity(
  1.3,
  'significantly significant substantially substantial strongly heavily heavy deep deeply very largest never_been_this never_been_so never_been_more',
);
intensity(1.4, 'sharp steep steeply severe severely huge biggest');
intensity(1.5, 'sharply dramatically dramatic massive massively');

// Structure words: what a move may not pair across, concessions, and where a level came from.
marker({ alone: 0, barrier: true, concession: 0.6 }, 'after');
marker(
  { alone: 0, barrier: true },
  'amid on as following ahead before over due because while since when against at by with via',
);
marker({ alone: 0, barrier: true, concession: 0.3 }, 'despite although though even_though notwithstanding');
marker({ alone: 0, barrier: true, source: true }, 'from off');
marker({ alone: 0, whole: 0.5 }, '<q>');

/** A phrase entry: the tokens after the first one, and what the phrase means. */
export interface LexPhrase {
  readonly rest: readonly string[];
  readonly entry: LexEntry;
}

export interface Lexicon {
  readonly words: ReadonlyMap<string, LexEntry>;
  /** Phrases by first token, longest first. */
  readonly phrases: ReadonlyMap<string, readonly LexPhrase[]>;
}

function buildLexicon(): Lexicon {
  const words = new Map<string, LexEntry>();
  const phrases = new Map<string, LexPhrase[]>();
  const seen = new Set<string>();
  for (const [terms, entry] of rows) {
    for (const term of terms.split(' ')) {
      if (term.length === 0) continue;
      // A term defined twice is a mistake in the table above, not something to resolve quietly.
      if (seen.has(term)) throw new Error(`Sentiment lexicon defines "${term}" twice`);
      seen.add(term);
      const parts = term.split('_');
      const [first, ...rest] = parts as [string, ...string[]];
      if (rest.length === 0) {
        words.set(first, entry);
      } else {
        const list = phrases.get(first) ?? [];
        list.push({ rest, entry });
        phrases.set(first, list);
      }
    }
  }
  for (const list of phrases.values()) list.sort((a, b) => b.rest.length - a.rest.length);
  return { words, phrases };
}

export const SENTIMENT_LEXICON: Lexicon = buildLexicon();
