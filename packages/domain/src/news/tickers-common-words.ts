/**
 * Words that cannot stand alone for a company in a headline. A one-word company name ("Target",
 * "Gap", "Block", "News Corp" → "News") or the first word of a longer one ("General Motors" →
 * "General") is only used as a name match when it is not here; the full name still matches.
 * Title-case headlines capitalise every word, so capitalisation alone cannot tell them apart.
 */
const ENGLISH = `
a about above across act action add after again against age ago agree ahead aid aim air all allow
almost alone along already also always am among amount an and another answer any anyone anything
apart appear apply area argue arm army around arrive art as ask at away back bad bag ball band bank
bar base basic be bear beat beautiful because become bed been before begin behind being believe
below best better between beyond big bill bit black block blue board boat body book born both box
boy break bring brother brown build building burn business but buy by call camp can capital car
card care carry case cash cast catch cause cell center central century certain chair chance change
charge charter check chief child choice choose church circle city civil claim class clean clear
close club coast cold color come common community compass complete condition consider contain
continue control cook cool core corner cost could country couple course court cover create credit
crime cross crown cry culture cup current cut dark data date daughter day dead deal dear death
decide deep defense degree delta design detail develop die difference different digital direct
discover do doctor dog dollar door double down draw dream dress drive drop during each early earth
east easy eat economic edge education effect eight either element else end energy enjoy enough
enter entire equal equity even evening event ever every evidence exactly example exist expect
experience express eye face fact fair fall family far farm fast father fear feature feel few field
fifth fight figure file fill film final find fine finish fire first fish five fix floor fly focus
follow food foot for force foreign forget form forward four fox free fresh friend from front full
fund future gain game gap garden gas general genuine get girl give glass global go gold good govern
great green ground group grow growth guess gun guy hair half hand hang happen happy hard has have he
head health hear heart heat heavy help her here high him his history hit hold home hope horse hospital
hot hotel hour house how huge human hundred husband idea if image impact important in include
income increase indeed industry information inside instead interest interactive international
into investment iron is issue it item its job join just keep key kid kill kind king kitchen know
labor lake land language large last late later laugh law lay lead leader learn least leave left leg
legal less let letter level lie life light like likely line list listen little live local long look
lose loss lot love low machine magazine main maintain major make man manage many market match matter
may me mean measure media medical meet member memory mention message metal method middle might
military million mind minute miss mission model modern moment money month more morning most mother
motion move movie much music must my name nation national natural nature near necessary need network
never new news next nice night nine no none nor north northern not note nothing now number of off
offer office officer often oil old on once one only open operation option or order other our out
outside over own page pain paper parent park part party pass past patient pattern pay peace people
per perform period person phone pick picture piece place plan plant play player point police policy
political poor popular position positive possible post power practice prepare present president
pressure pretty prevent price prime principal private probably problem process produce product
professional program progressive project property protect prove provide public pull purpose push
put quality question quick quickly quite race radio raise range rate rather reach read ready real
reality realize really reason receive recent recently record red reduce reflect region regions
relate remain remember remove report represent republic require research resource respond rest
result return reveal rich right rise risk river road rock role room root round royal rule run safe
same save say scene school science score sea season seat second section security see seek seem sell
send senior sense series serious serve service set seven several shake shape share she shell shoot
short shot should show side sign signal silver simple simply since sing single sister sit site
situation six size skill skin small smart snap so social society soft some someone something
sometimes son song soon sort sound source south southern southwest southwestern space speak special
spend spirit sport spring square staff stage stand standard star start state station stay steel
step still stock stop store story strategy street strong structure student study stuff style
subject success such suddenly suggest summer sun support sure surface system table take talk target
task tax teach team technology tell ten tend term test than thank that the their them themselves
then theory there these they thing think third this those though thought thousand threat three
through throw thus time to today together tonight too top total tough toward town trade traditional
training travel travelers treat tree trial trip trouble true trust truth try turn twin two type under
understand union unit united unity until up upon urban us use usually value various very victory
view vision visit voice vote wait walk wall want war watch water way we weapon wear week weight well
west western what whatever when where whether which while white who whole whom whose why wide wife
will win wind window wish with within without woman wonder word work worker world worry would write
writer wrong yard yeah year yes yet you young your zoom
`;

/** Words that begin many company names and so name none of them alone. */
const CORPORATE = `
advance advanced affirm agilent air airlines alliance allied ally alpha american americas analog
applied apollo arch atlantic aurora auto automotive baker bancorp bancshares banc bank banks
beacon berkshire bio biosciences biotech booking brands bridge bright brookfield capital carrier
celsius central century champion charles cheniere citizens clear coherent columbia commerce
commercial communications community compass consolidated constellation consumer continental core
cross crown cyber delta devon diamond dominion duke dynamic dynamics eagle east eastern edge electric
electronics elevate emerald empire enterprise enterprises entertainment environmental equinox
equity essential evolution excel express federal fidelity financial first flagship focus foods
frontier fusion galaxy gateway gen genesis genetics genomics global gold golden grand granite great
green guardian harbor hartford health healthcare heritage highland horizon hudson icon ideal
immuno impact independence industrial industries infinity innovative insight insurance integrated
integrity interactive intuitive investors iron jupiter kinder labs landmark las legacy liberty
life lincoln live lumen marathon marine materials matrix media medical meridian metro metropolitan
mid midwest mission monarch monster morgan motors mountain mutual national natural navigator
network networks new next noble north northeast northern northwest nova ocean old omega omni open
optimum orion pacific palo paramount partners patriot peak penn people peoples phoenix pinnacle
pioneer pivotal planet platinum plug power precision premier prime principal pro progressive
prospect provident public quantum range realty regional regions reliance republic resources rocket
root royal safety san santa saratoga security select sierra signature silver simon smart solar
solutions sound south southern southwest sovereign spirit sprout standard star state sterling
stone strategic summit sun superior synergy systems target tech technologies texas the thermo titan
total trans travelers tri trinity triumph true trust uni union unique united unity universal
urban us valley value vanguard vertex victory viking vision vista wave wells west western williams
world zoom
`;

/** Acronyms and short words that headlines print in capitals without meaning a ticker. */
const ACRONYMS = `
ai ev evs ceo cfo coo cto cio cmo ipo ipos spac eps etf etfs fda sec ftc fcc doj dot epa irs fbi
cia nasa gdp cpi ppi pce fomc fed ecb boj imf wto opec usa us uk eu un esg api ar vr it pc pcs tv
q1 q2 q3 q4 h1 h2 fy ytd yoy qoq mom atm otc nyse amex nasdaq ok llc inc ltd plc co corp usd eur
gbp jpy cny cad btc eth nft saas dtc hr pr ir ebitda gaap roe roi pe pt ev r&d m&a ny la sf dc ca tx
fl nj hq mou jv los ufc nfl nba mlb nhl ncaa ama who cdc nih hhs va dod cnbc cnn bbc wsj ft ap
ipo oem gm is am pm id ip io os ux ui lng oil gas tsa faa nhtsa ftx ops usps ups dhl lol ama ceo
buy sell hold new top hot big key now all any are can for has go so on one two yes no out up low
love fast real good best next wow moon bull bear
`;

function words(list: string): string[] {
  return list.split(/\s+/).filter((w) => w !== '');
}

/** Lowercase words never used alone as a company name. */
export const COMMON_NAME_WORDS: ReadonlySet<string> = new Set([...words(ENGLISH), ...words(CORPORATE)]);

/**
 * Lowercase words that a parenthesised capital form `(XX)` does not make a ticker: every common
 * word plus the acronyms news uses in capitals (AI, EV, CEO, FDA …). Cashtags and exchange forms
 * are explicit and bypass this.
 */
export const COMMON_TICKER_WORDS: ReadonlySet<string> = new Set([...COMMON_NAME_WORDS, ...words(ACRONYMS)]);
