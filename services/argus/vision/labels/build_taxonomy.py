"""Regenerate ``taxonomy.json`` from WordNet 3.0 and the curated tables below.

Run it only when the taxonomy should change (the result is committed; nothing reads WordNet at run
time)::

    apt-get install wordnet-base          # WordNet 3.0 database files in /usr/share/wordnet
    .venv/bin/python -m argus.vision.labels.build_taxonomy [--wordnet /usr/share/wordnet]

How a label set is made for each of the 1000 ImageNet-1k classes (whose ids are WordNet 3.0 noun
synsets, ``n`` + the 8-digit offset):

1. The class's own label: :data:`CLASS_LABELS` when curated (human-level names, and collapsing of
   classes people do not tell apart, e.g. tabby / tiger cat / Egyptian cat are all "Cat"), else the
   torchvision class name in title case.
2. Its parents: walking up the WordNet hypernym graph (``@`` and ``@i`` pointers), the nearest
   synsets listed in :data:`KEPT` on every path (a path stops at the first kept synset). Each kept
   synset is itself a label whose parents are found the same way, so the hierarchy follows WordNet
   but only through the human-level concepts of :data:`KEPT`.
3. Curated corrections: :data:`EXTRA_PARENTS` adds parents WordNet does not have (a bus is "public
   transport" in WordNet, a Vehicle here; Vehicle's parent is Transportation; cats and dogs are Pets),
   and :data:`EXTRA_LABELS` are labels with no synset (Transportation, Pet, Outdoors).
4. Parents implied by another parent are dropped (transitive reduction), so each label lists its
   direct parents; the service returns the whole ancestor chain.
5. Categories (Rekognition's label categories): :data:`CATEGORIES` on some labels; a label without
   its own inherits its parents'; :data:`DEFAULT_CATEGORY` otherwise.

The ImageNet class ids come from the existing ``taxonomy.json`` (so regenerating needs no other
file), or on the first run from the ``ImageNet.yaml`` of the ultralytics wheel (its ``map``: wnid per
class, in class-index order).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA_FILE = Path(__file__).with_name("taxonomy.json")
DEFAULT_WORDNET = Path("/usr/share/wordnet")
DEFAULT_CATEGORY = "Everyday Objects"
TAXONOMY_VERSION = "1.0"

# WordNet synsets that are labels, with the label's name. Several synsets may share a name.
KEPT: dict[str, str] = {
    # Living things
    "n00015388": "Animal",
    "n01861778": "Mammal",
    "n02083346": "Canine",
    "n02084071": "Dog",
    "n02121808": "Cat",
    "n02120997": "Feline",
    "n02131653": "Bear",
    "n02114100": "Wolf",
    "n02118333": "Fox",
    "n02374451": "Horse",
    "n02395003": "Pig",
    "n02402425": "Cattle",
    "n02411705": "Sheep",
    "n02419796": "Antelope",
    "n02503517": "Elephant",
    "n02329401": "Rodent",
    "n02324045": "Rabbit",
    "n01874434": "Marsupial",
    "n02062744": "Whale",
    "n02469914": "Primate",
    "n02484322": "Monkey",
    "n02470325": "Ape",
    "n01503061": "Bird",
    "n01845132": "Waterfowl",
    "n01846331": "Duck",
    "n01855672": "Goose",
    "n01791625": "Chicken",
    "n01816887": "Parrot",
    "n01604330": "Bird of Prey",
    "n02512053": "Fish",
    "n01482330": "Shark",
    "n01661091": "Reptile",
    "n01726692": "Snake",
    "n01674464": "Lizard",
    "n01662784": "Turtle",
    "n01696633": "Crocodile",
    "n01699831": "Dinosaur",
    "n01627424": "Amphibian",
    "n01639765": "Frog",
    "n01629276": "Salamander",
    "n01905661": "Invertebrate",
    "n02159955": "Insect",
    "n02274259": "Butterfly",
    "n02164464": "Beetle",
    "n01769347": "Arachnid",
    "n01772222": "Spider",
    "n01974773": "Crustacean",
    "n01976957": "Crab",
    "n01982650": "Lobster",
    "n01940736": "Mollusk",
    "n01944390": "Snail",
    "n00007846": "Person",
    "n00017222": "Plant",
    "n11669921": "Flower",
    "n12992868": "Fungus",
    # Food and drink
    "n00021265": "Food",
    "n07555863": "Food",
    "n13134947": "Fruit",
    "n07705931": "Fruit",
    "n07707451": "Vegetable",
    "n07557434": "Dish",
    "n07881800": "Beverage",
    "n07929519": "Coffee",
    "n07884567": "Alcohol",
    "n07891726": "Wine",
    "n07609840": "Dessert",
    "n07679356": "Bread",
    "n07810907": "Condiment",
    # Transportation
    "n04524313": "Vehicle",
    "n02958343": "Car",
    "n02924116": "Bus",
    "n04490091": "Truck",
    "n04520170": "Van",
    "n03790512": "Motorcycle",
    "n02834778": "Bicycle",
    "n04468005": "Train",
    "n03684823": "Locomotive",
    "n04530566": "Watercraft",
    "n02858304": "Boat",
    "n04194289": "Ship",
    "n02686568": "Aircraft",
    "n02691156": "Airplane",
    "n04574999": "Wheel",
    # Places and structures
    "n02913152": "Building",
    "n03259505": "Housing",
    "n03953416": "Place of Worship",
    "n03743902": "Monument",
    "n02898711": "Bridge",
    "n04202417": "Shop",
    "n03748162": "Shop",
    "n04105068": "Roof",
    "n03327234": "Fence",
    "n09287968": "Nature",
    # Apparel
    "n03051540": "Clothing",
    "n03380867": "Footwear",
    "n03381126": "Footwear",
    "n04199027": "Shoe",
    "n03502509": "Headwear",
    "n03497657": "Hat",
    "n02954340": "Cap",
    "n03513137": "Helmet",
    "n04371563": "Swimwear",
    "n03815615": "Tie",
    "n03057021": "Coat",
    "n04230808": "Skirt",
    "n02739668": "Armor",
    "n02773037": "Bag",
    # Home
    "n03405725": "Furniture",
    "n03001627": "Chair",
    "n04379243": "Table",
    "n02818832": "Bed",
    "n04256520": "Couch",
    "n02933112": "Cabinet",
    "n02729837": "Appliance",
    "n03636248": "Lamp",
    "n03046257": "Clock",
    "n04555897": "Wristwatch",
    # Technology
    "n03278248": "Electronics",
    "n03082979": "Computer",
    "n03916720": "Computer Hardware",
    "n04401088": "Phone",
    "n04151581": "Screen",
    "n02942699": "Camera",
    # Music
    "n03800933": "Musical Instrument",
    "n04338517": "String Instrument",
    "n04586932": "Wind Instrument",
    "n02891788": "Brass Instrument",
    "n03915437": "Percussion Instrument",
    "n03467517": "Guitar",
    "n03906997": "Pen",
    "n03928116": "Piano",
    # Tools, machines, weapons
    "n04451818": "Tool",
    "n03699975": "Machine",
    "n04565375": "Weapon",
    "n03467984": "Gun",
    "n03265032": "Blade",
    # Kitchen and tableware
    "n03621049": "Kitchen Utensil",
    "n03101986": "Cookware",
    "n03147509": "Cup",
    "n02876657": "Bottle",
    "n02883344": "Box",
    "n03438257": "Glass",
    "n04447443": "Cosmetics",
    # Sports and leisure
    "n04285146": "Sports Equipment",
    "n02778669": "Ball",
    "n03964744": "Toy",
    "n06589574": "Publication",
    "n04217882": "Sign",
}

# Labels with no WordNet synset of their own: name -> parents.
EXTRA_LABELS: dict[str, list[str]] = {
    "Transportation": [],
    "Pet": ["Animal"],
    "Outdoors": [],
    "Sea Life": ["Animal"],
    "Wildlife": ["Animal"],
    "Coffee Cup": ["Cup"],
    "Accessories": [],
    "Sunglasses": ["Accessories"],
    "Jewelry": ["Accessories"],
}

# Parents WordNet does not give (or gives through a concept that is not a label).
EXTRA_PARENTS: dict[str, list[str]] = {
    "Vehicle": ["Transportation"],
    "Bus": ["Vehicle"],
    "Train": ["Vehicle"],
    "Locomotive": ["Train"],
    "Dog": ["Pet"],
    "Cat": ["Pet"],
    "Nature": ["Outdoors"],
    "Fish": ["Sea Life"],
    "Shark": ["Sea Life"],
    "Whale": ["Sea Life"],
    "Crustacean": ["Sea Life"],
    "Bear": ["Wildlife"],
    "Wolf": ["Wildlife"],
    "Fox": ["Wildlife"],
    "Elephant": ["Wildlife"],
    "Antelope": ["Wildlife"],
    "Monkey": ["Wildlife"],
    "Ape": ["Wildlife"],
    "Bag": ["Accessories"],
    "Tie": ["Accessories"],
    "Hat": ["Clothing"],
    "Shop": ["Building"],
    "Computer": ["Electronics"],
    "Corn": ["Vegetable"],
    "Necklace": ["Jewelry"],
    "Sea Lion": ["Sea Life"],
    "Dugong": ["Sea Life"],
}

# The label (or labels: the first is the class's own, the others are also shown by the picture)
# of ImageNet classes whose torchvision name is not a good human-level label.
CLASS_LABELS: dict[str, list[str]] = {
    "n01514668": ["Rooster"],
    "n01514859": ["Hen"],
    "n01847000": ["Duck"],
    "n01855032": ["Duck"],
    "n01818515": ["Macaw"],
    "n02012849": ["Crane Bird"],
    "n03126707": ["Construction Crane"],
    "n02113023": ["Corgi"],
    "n02113186": ["Corgi"],
    "n02123045": ["Cat"],  # tabby
    "n02123159": ["Cat"],  # tiger cat
    "n02124075": ["Cat"],  # Egyptian cat
    "n02123394": ["Persian Cat"],
    "n02123597": ["Siamese Cat"],
    "n02497673": ["Lemur"],
    "n02389026": ["Horse"],  # sorrel
    "n02395406": ["Pig"],  # hog
    "n02403003": ["Ox"],
    "n02412080": ["Ram"],
    "n02504013": ["Elephant"],
    "n02504458": ["Elephant"],
    "n01871265": ["Elephant"],  # tusker
    "n02509815": ["Red Panda"],
    "n02510455": ["Panda"],
    "n02437312": ["Camel"],
    "n02134084": ["Polar Bear"],
    "n02325366": ["Rabbit"],
    "n02328150": ["Rabbit"],  # Angora
    "n01664065": ["Sea Turtle"],  # loggerhead
    "n01665541": ["Sea Turtle"],
    "n01631663": ["Newt"],  # eft
    "n01630670": ["Newt"],
    "n01755581": ["Rattlesnake"],  # diamondback
    "n01756291": ["Rattlesnake"],  # sidewinder
    "n02066245": ["Whale"],
    "n02071294": ["Orca"],
    "n02077923": ["Sea Lion"],
    "n01443537": ["Goldfish"],
    "n02606052": ["Fish"],  # rock beauty
    "n02607072": ["Clownfish"],
    "n02655020": ["Pufferfish"],
    "n02514041": ["Fish"],  # barracouta
    "n02536864": ["Salmon"],  # coho
    "n01440764": ["Fish"],  # tench
    "n02640242": ["Sturgeon"],
    "n02641379": ["Fish"],  # gar
    "n02279972": ["Monarch Butterfly"],
    "n02276258": ["Butterfly"],  # admiral
    "n02277742": ["Butterfly"],  # ringlet
    "n02281406": ["Butterfly"],
    "n02280649": ["Butterfly"],
    "n02281787": ["Butterfly"],  # lycaenid
    "n02165456": ["Ladybug"],
    "n02206856": ["Bee"],
    "n02190166": ["Fly"],
    # Apparel
    "n03710637": ["Swimwear"],  # maillot
    "n03710721": ["Swimwear"],  # maillot, tank suit
    "n02837789": ["Bikini", "Swimwear"],
    "n04371430": ["Swimwear"],
    "n03594734": ["Jeans", "Pants"],
    "n03595614": ["T-Shirt"],
    "n02963159": ["Sweater"],  # cardigan
    "n04370456": ["Sweatshirt"],
    "n04350905": ["Suit"],
    "n03450230": ["Dress"],  # gown
    "n03877472": ["Pajamas"],
    "n04584207": ["Wig"],
    "n03814906": ["Necklace"],
    "n04355933": ["Sunglasses"],  # sunglass
    "n04356056": ["Sunglasses"],
    "n03680355": ["Shoe"],  # Loafer
    "n04120489": ["Running Shoe"],
    "n02883205": ["Bow Tie"],
    "n04591157": ["Tie"],  # Windsor tie
    "n04026417": ["Handbag"],  # purse
    "n02769748": ["Backpack"],
    "n04548362": ["Wallet"],
    "n03763968": ["Military Uniform"],
    "n03630383": ["Lab Coat"],
    # Vehicles
    "n02701002": ["Ambulance"],
    "n02814533": ["Station Wagon"],  # beach wagon
    "n02930766": ["Taxi"],  # cab
    "n03100240": ["Convertible"],
    "n03594945": ["Jeep"],
    "n03670208": ["Limousine"],
    "n03770679": ["Minivan"],
    "n03777568": ["Antique Car"],  # Model T
    "n04037443": ["Race Car"],  # racer
    "n04285008": ["Sports Car"],
    "n03769881": ["Minibus"],
    "n04146614": ["School Bus"],
    "n04487081": ["Trolleybus"],
    "n03345487": ["Fire Truck"],
    "n03417042": ["Garbage Truck"],
    "n03930630": ["Pickup Truck"],
    "n04461696": ["Tow Truck"],
    "n04467665": ["Trailer Truck"],
    "n03796401": ["Moving Van"],
    "n03977966": ["Police Van"],
    "n04065272": ["RV"],
    "n03785016": ["Moped"],
    "n03791053": ["Scooter"],
    "n03792782": ["Mountain Bike"],
    "n02835271": ["Tandem Bicycle"],
    "n04482393": ["Tricycle"],
    "n04509417": ["Unicycle"],
    "n04465501": ["Tractor"],
    "n03384352": ["Forklift"],
    "n04389033": ["Tank"],
    "n04252077": ["Snowmobile"],
    "n04252225": ["Snowplow"],
    "n03444034": ["Go-Kart"],
    "n03445924": ["Golf Cart"],
    "n02917067": ["Bullet Train"],
    "n03272562": ["Electric Locomotive"],
    "n04310018": ["Steam Locomotive"],
    "n03393912": ["Freight Car"],
    "n03895866": ["Passenger Car"],
    "n04335435": ["Tram"],  # streetcar
    "n02690373": ["Airliner"],
    "n04552348": ["Warplane"],
    "n02692877": ["Airship"],
    "n02782093": ["Hot Air Balloon"],
    "n04266014": ["Space Shuttle"],
    "n02687172": ["Aircraft Carrier"],
    "n03095699": ["Container Ship"],
    "n03673027": ["Ocean Liner"],  # liner
    "n02951358": ["Canoe"],
    "n04273569": ["Speedboat"],
    "n02981792": ["Catamaran"],
    "n04483307": ["Trimaran"],
    "n04147183": ["Sailboat"],  # schooner
    "n04612504": ["Sailboat"],  # yawl
    "n03447447": ["Gondola"],
    "n03662601": ["Lifeboat"],
    "n03344393": ["Fireboat"],
    "n04347754": ["Submarine"],
    "n02704792": ["Amphibious Vehicle"],
    "n02974003": ["Wheel", "Car"],  # car wheel
    "n06874185": ["Traffic Light"],
    "n06794110": ["Road Sign", "Sign"],
    "n04606251": ["Shipwreck"],
    # Home, office, technology
    "n03642806": ["Laptop", "Computer"],
    "n03832673": ["Laptop", "Computer"],  # notebook
    "n03180011": ["Desktop Computer", "Computer"],
    "n03485407": ["Handheld Computer"],
    "n03085013": ["Computer Keyboard"],
    "n03793489": ["Computer Mouse"],
    "n03782006": ["Monitor", "Screen"],
    "n04152593": ["Screen"],
    "n04404412": ["TV"],
    "n02992529": ["Mobile Phone", "Phone"],
    "n03187595": ["Rotary Phone"],
    "n03902125": ["Payphone"],
    "n06359193": ["Webpage"],
    "n04004767": ["Printer"],
    "n03924679": ["Photocopier"],
    "n03584254": ["iPod"],
    "n03691459": ["Speaker"],
    "n03759954": ["Microphone"],
    "n04074963": ["Remote Control"],
    "n03976467": ["Polaroid Camera", "Camera"],
    "n04069434": ["Camera"],  # reflex camera
    "n03452741": ["Grand Piano"],
    "n04515003": ["Piano"],  # upright
    "n02676566": ["Acoustic Guitar"],
    "n03272010": ["Electric Guitar"],
    "n04536866": ["Violin"],
    "n02992211": ["Cello"],
    "n04141076": ["Saxophone"],  # sax
    "n03201208": ["Dining Table", "Table"],
    "n03179701": ["Desk"],
    "n03376595": ["Folding Chair"],
    "n04099969": ["Rocking Chair"],
    "n02791124": ["Barber Chair"],
    "n04344873": ["Couch"],  # studio couch
    "n03388549": ["Bed"],  # four-poster
    "n03131574": ["Crib"],
    "n03125729": ["Cradle"],
    "n02804414": ["Bassinet"],
    "n04550184": ["Wardrobe"],
    "n02870880": ["Bookcase"],
    "n03018349": ["China Cabinet"],
    "n03938244": ["Pillow", "Cushion"],
    "n04033995": ["Quilt"],
    "n04380533": ["Table Lamp", "Lamp"],
    "n03637318": ["Lampshade", "Lamp"],
    "n04070727": ["Refrigerator"],
    "n03761084": ["Microwave"],
    "n04554684": ["Washing Machine"],  # washer
    "n03207941": ["Dishwasher"],
    "n04442312": ["Toaster"],
    "n04517823": ["Vacuum Cleaner"],
    "n03271574": ["Electric Fan"],
    "n04330267": ["Stove"],
    "n04265275": ["Space Heater"],
    "n02708093": ["Analog Clock", "Clock"],
    "n03196217": ["Digital Clock", "Clock"],
    "n04548280": ["Wall Clock", "Clock"],
    "n03197337": ["Digital Watch", "Wristwatch"],
    "n04447861": ["Toilet"],  # toilet seat
    "n04553703": ["Sink"],  # washbasin
    "n02808440": ["Bathtub"],
    "n15075141": ["Toilet Paper"],
    "n02747177": ["Trash Can"],  # ashcan
    # Kitchen and dining
    "n03063599": ["Coffee Cup", "Cup"],
    "n07930864": ["Cup", "Beverage"],  # "cup": a cup of a drink (WordNet: punch)
    "n07920052": ["Espresso", "Coffee Cup"],
    "n03297495": ["Espresso Machine"],
    "n03063689": ["Coffeepot"],
    "n04398044": ["Teapot"],
    "n03950228": ["Pitcher"],
    "n03443371": ["Goblet", "Glass"],
    "n02823750": ["Beer Glass", "Glass"],
    "n07892512": ["Red Wine", "Wine"],
    "n02823428": ["Beer Bottle", "Bottle"],
    "n04591713": ["Wine Bottle", "Bottle"],
    "n04557648": ["Water Bottle", "Bottle"],
    "n03983396": ["Soda Bottle", "Bottle"],
    "n03937543": ["Pill Bottle", "Bottle"],
    "n04263257": ["Bowl"],  # soup bowl
    "n03775546": ["Mixing Bowl", "Bowl"],
    "n07579787": ["Plate"],
    "n03400231": ["Frying Pan"],
    "n04596742": ["Wok"],
    "n03259280": ["Dutch Oven"],
    "n03133878": ["Slow Cooker"],
    "n02939185": ["Cauldron"],
    "n04597913": ["Wooden Spoon"],
    "n04270147": ["Spatula"],
    "n03633091": ["Ladle"],
    "n03041632": ["Cleaver", "Knife"],
    "n04476259": ["Tray"],
    # Food
    "n07697313": ["Burger"],
    "n07697537": ["Hot Dog"],
    "n07873807": ["Pizza"],
    "n07880968": ["Burrito"],
    "n07614500": ["Ice Cream"],
    "n07615774": ["Popsicle"],
    "n07684084": ["Baguette"],
    "n07693725": ["Bagel"],
    "n07695742": ["Pretzel"],
    "n07711569": ["Mashed Potatoes"],
    "n07831146": ["Pasta"],  # carbonara
    "n07714571": ["Cabbage"],
    "n07720875": ["Bell Pepper"],
    "n07742313": ["Apple"],  # Granny Smith
    "n07747607": ["Orange"],
    "n07734744": ["Mushroom"],
    "n12998815": ["Mushroom"],  # agaric
    "n13052670": ["Mushroom"],
    "n13054560": ["Mushroom"],
    "n12985857": ["Fungus"],
    "n13037406": ["Fungus"],
    "n13040303": ["Fungus"],
    "n13044778": ["Fungus"],
    "n13133613": ["Corn"],  # ear
    "n12144580": ["Corn"],
    "n07802026": ["Hay"],
    # Nature
    "n09193705": ["Mountain"],  # alp
    "n09472597": ["Volcano", "Mountain"],
    "n09246464": ["Cliff"],
    "n09256479": ["Coral Reef"],
    "n09288635": ["Geyser"],
    "n09332890": ["Lake"],  # lakeside
    "n09399592": ["Promontory"],
    "n09421951": ["Sandbar", "Beach"],
    "n09428293": ["Beach"],  # seashore
    "n09468604": ["Valley"],
    "n11939491": ["Daisy"],
    "n12057211": ["Orchid"],  # yellow lady's slipper
    "n11879895": ["Rapeseed"],
    # People
    "n09835506": ["Baseball Player", "Person"],
    "n10148035": ["Groom", "Person"],
    "n10565667": ["Scuba Diver", "Person"],
    # Other
    "n03724870": ["Mask"],
    "n04229816": ["Ski Mask"],
    "n03424325": ["Gas Mask"],
    "n04254680": ["Soccer Ball"],
    "n02802426": ["Basketball"],
    "n02799071": ["Baseball"],
    "n04409515": ["Tennis Ball"],
    "n04540053": ["Volleyball"],
    "n04118538": ["Rugby Ball"],
    "n03445777": ["Golf Ball"],
    "n03942813": ["Ping Pong Ball"],
    "n04039381": ["Tennis Racket"],
    "n04228054": ["Ski"],
    "n02790996": ["Barbell"],
    "n03255030": ["Dumbbell"],
    "n04399382": ["Teddy Bear", "Toy"],
    "n07248320": ["Book", "Publication"],  # book jacket
    "n06596364": ["Comic Book", "Publication"],
    "n07565083": ["Menu"],
    "n02786058": ["Bandage"],  # Band Aid
    "n04507155": ["Umbrella"],
    "n02879718": ["Bow"],
    "n02749479": ["Rifle", "Gun"],  # assault rifle
    "n04090263": ["Rifle", "Gun"],
    "n04086273": ["Handgun", "Gun"],  # revolver
    "n03000684": ["Chainsaw"],
    "n03995372": ["Power Drill"],
    "n03481172": ["Hammer"],
    "n04154565": ["Screwdriver"],
    "n04208210": ["Shovel"],
    "n03649909": ["Lawn Mower"],
    "n04458633": ["Totem Pole"],
    "n02980441": ["Castle"],
    "n03028079": ["Church"],
    "n03788195": ["Mosque"],
    "n03781244": ["Monastery"],
    "n03877845": ["Palace"],
    "n04346328": ["Stupa"],
    "n03837869": ["Obelisk"],
    "n04486054": ["Arch"],  # triumphal arch
    "n04311004": ["Bridge"],  # steel arch bridge
    "n04366367": ["Suspension Bridge"],
    "n04532670": ["Viaduct"],
    "n02793495": ["Barn"],
    "n03457902": ["Greenhouse"],
    "n04562935": ["Water Tower"],
    "n03160309": ["Dam"],
    "n03933933": ["Pier"],
    "n03216828": ["Dock"],
    "n02894605": ["Breakwater"],
    "n03388043": ["Fountain"],
    "n04613696": ["Yurt"],
    "n03792972": ["Tent"],  # mountain tent
    "n03776460": ["Mobile Home"],
    "n02776631": ["Bakery"],
    "n02791270": ["Barbershop"],
    "n02871525": ["Bookstore"],
    "n02927161": ["Butcher Shop"],
    "n03461385": ["Grocery Store"],
    "n04200800": ["Shoe Shop"],
    "n04443257": ["Tobacco Shop"],
    "n04462240": ["Toy Store"],
    "n03089624": ["Candy Store"],  # confectionery
    "n04081281": ["Restaurant"],
    "n03032252": ["Cinema"],
    "n03661043": ["Library"],
    "n04005630": ["Prison"],
    "n04296562": ["Stage"],
    "n02966193": ["Carousel"],
    "n04371774": ["Swing"],
    "n03000134": ["Chain-Link Fence", "Fence"],
    "n03930313": ["Picket Fence", "Fence"],
    "n04604644": ["Fence"],  # worm fence
    "n04326547": ["Stone Wall", "Wall"],
    "n04435653": ["Tile Roof", "Roof"],
    "n04417672": ["Thatched Roof", "Roof"],
    "n03710193": ["Mailbox"],
    "n03891251": ["Bench"],  # park bench
    "n03891332": ["Parking Meter"],
    "n03425413": ["Gas Pump"],
    "n02977058": ["ATM"],  # cash machine
    "n04525305": ["Vending Machine"],
    "n03717622": ["Manhole"],
    "n04149813": ["Scoreboard"],
    "n04501370": ["Turnstile"],
    "n03355925": ["Flagpole"],
    "n02948072": ["Candle"],
    "n03590841": ["Jack-o'-Lantern"],
    "n02999410": ["Chain"],
    "n03874599": ["Padlock"],
    "n03075370": ["Combination Lock"],
    "n04125021": ["Safe"],
    "n03291819": ["Envelope"],
    "n02840245": ["Binder"],
    "n03958227": ["Plastic Bag", "Bag"],
    "n04204238": ["Shopping Basket", "Basket"],
    "n04204347": ["Shopping Cart"],
    "n02795169": ["Barrel"],
    "n02909870": ["Bucket"],
    "n03127925": ["Crate"],
    "n02971356": ["Carton"],
    "n04522168": ["Vase"],
    "n04275548": ["Spider Web"],
    "n09229709": ["Bubble"],
    "n03888257": ["Parachute"],
    "n03598930": ["Jigsaw Puzzle"],
    "n06785654": ["Crossword Puzzle"],
    "n02841315": ["Binoculars"],
    "n04376876": ["Syringe"],
    "n04317175": ["Stethoscope"],
    "n03141823": ["Crutch"],
    "n03814639": ["Neck Brace"],
    "n04336792": ["Stretcher"],
    "n03676483": ["Lipstick", "Cosmetics"],
    "n03916031": ["Perfume", "Cosmetics"],
    "n03314780": ["Face Powder", "Cosmetics"],
    "n03690938": ["Lotion", "Cosmetics"],
    "n04357314": ["Sunscreen", "Cosmetics"],
    "n03476991": ["Hair Spray", "Cosmetics"],
    "n02808304": ["Towel"],  # bath towel
    "n03887697": ["Paper Towel"],
    "n03223299": ["Doormat"],
    "n03998194": ["Rug"],  # prayer rug
    "n04209239": ["Shower Curtain", "Curtain"],
    "n04418357": ["Curtain"],  # theater curtain
    "n04590129": ["Window Shade"],
    "n04239074": ["Sliding Door", "Door"],
    "n02788148": ["Banister"],
    "n03388183": ["Fountain Pen", "Pen"],
    "n03825788": ["Baby Bottle"],
    "n03954731": ["Hand Plane"],
    "n02088238": ["Basset Hound"],
    "n02112137": ["Chow Chow"],
    "n02096585": ["Boston Terrier"],
    "n02096177": ["Cairn Terrier"],
    "n03483316": ["Hair Drier"],
    "n03016953": ["Dresser"],
    "n04243546": ["Slot Machine"],
    "n04118776": ["Ruler"],
    "n12620546": ["Rose Hip"],
    "n02892201": ["Plaque"],
}

# Classes whose WordNet hypernyms do not describe what their photos show: their labels take no
# parents from WordNet (the labels' own parents come from elsewhere).
NO_WORDNET_PARENTS: frozenset[str] = frozenset({"n07930864", "n03710637"})

# Label categories (Rekognition's names). Labels without their own inherit their parents'.
CATEGORIES: dict[str, list[str]] = {
    "Animal": ["Animals and Pets"],
    "Person": ["Person Description"],
    "Plant": ["Plants and Flowers"],
    "Flower": ["Plants and Flowers"],
    "Fungus": ["Plants and Flowers"],
    "Food": ["Food and Beverage"],
    "Beverage": ["Food and Beverage"],
    "Transportation": ["Vehicles and Automotive"],
    "Wheel": ["Vehicles and Automotive"],
    "Building": ["Buildings and Architecture"],
    "Housing": ["Buildings and Architecture"],
    "Place of Worship": ["Buildings and Architecture"],
    "Monument": ["Buildings and Architecture"],
    "Bridge": ["Buildings and Architecture"],
    "Roof": ["Buildings and Architecture"],
    "Fence": ["Buildings and Architecture"],
    "Nature": ["Nature and Outdoors"],
    "Outdoors": ["Nature and Outdoors"],
    "Clothing": ["Apparel and Accessories"],
    "Footwear": ["Apparel and Accessories"],
    "Headwear": ["Apparel and Accessories"],
    "Swimwear": ["Apparel and Accessories"],
    "Accessories": ["Apparel and Accessories"],
    "Armor": ["Weapons and Military"],
    "Weapon": ["Weapons and Military"],
    "Furniture": ["Furniture and Furnishings"],
    "Appliance": ["Home and Indoors"],
    "Lamp": ["Home and Indoors"],
    "Clock": ["Home and Indoors"],
    "Electronics": ["Technology and Computing"],
    "Computer": ["Technology and Computing"],
    "Phone": ["Technology and Computing"],
    "Screen": ["Technology and Computing"],
    "Camera": ["Technology and Computing"],
    "Musical Instrument": ["Musical Instruments"],
    "Tool": ["Tools and Machinery"],
    "Machine": ["Tools and Machinery"],
    "Kitchen Utensil": ["Kitchen and Dining"],
    "Cookware": ["Kitchen and Dining"],
    "Cup": ["Kitchen and Dining"],
    "Coffee Cup": ["Kitchen and Dining"],
    "Bottle": ["Kitchen and Dining"],
    "Glass": ["Kitchen and Dining"],
    "Cosmetics": ["Beauty and Personal Care"],
    "Sports Equipment": ["Sports"],
    "Ball": ["Sports"],
    "Toy": ["Hobbies and Interests"],
    "Publication": ["Text and Documents"],
    "Sign": ["Text and Documents"],
    "Shop": ["Buildings and Architecture"],
}

# Labels whose instances get bounding boxes when a detector finds them (Rekognition's "common
# object labels"). Person boxes come from the person detector; the others from a YOLO model when one
# is installed (docs/labels.md).
INSTANCE_LABELS: frozenset[str] = frozenset(
    {
        "Person",
        "Bicycle",
        "Car",
        "Motorcycle",
        "Airplane",
        "Bus",
        "Train",
        "Truck",
        "Boat",
        "Traffic Light",
        "Fire Hydrant",
        "Stop Sign",
        "Parking Meter",
        "Bench",
        "Bird",
        "Cat",
        "Dog",
        "Horse",
        "Sheep",
        "Cattle",
        "Elephant",
        "Bear",
        "Zebra",
        "Giraffe",
        "Backpack",
        "Umbrella",
        "Handbag",
        "Tie",
        "Suitcase",
        "Frisbee",
        "Ski",
        "Snowboard",
        "Ball",
        "Kite",
        "Baseball Bat",
        "Baseball Glove",
        "Skateboard",
        "Surfboard",
        "Tennis Racket",
        "Bottle",
        "Wine Glass",
        "Cup",
        "Fork",
        "Knife",
        "Spoon",
        "Bowl",
        "Banana",
        "Apple",
        "Sandwich",
        "Orange",
        "Broccoli",
        "Carrot",
        "Hot Dog",
        "Pizza",
        "Donut",
        "Cake",
        "Chair",
        "Couch",
        "Potted Plant",
        "Bed",
        "Dining Table",
        "Toilet",
        "TV",
        "Laptop",
        "Computer Mouse",
        "Remote Control",
        "Computer Keyboard",
        "Mobile Phone",
        "Microwave",
        "Oven",
        "Toaster",
        "Sink",
        "Refrigerator",
        "Book",
        "Clock",
        "Vase",
        "Scissors",
        "Teddy Bear",
        "Hair Drier",
        "Toothbrush",
    }
)

# COCO's 80 class names (as YOLO models trained on COCO name them) -> label.
COCO_LABELS: dict[str, str] = {
    "person": "Person",
    "bicycle": "Bicycle",
    "car": "Car",
    "motorcycle": "Motorcycle",
    "airplane": "Airplane",
    "bus": "Bus",
    "train": "Train",
    "truck": "Truck",
    "boat": "Boat",
    "traffic light": "Traffic Light",
    "fire hydrant": "Fire Hydrant",
    "stop sign": "Stop Sign",
    "parking meter": "Parking Meter",
    "bench": "Bench",
    "bird": "Bird",
    "cat": "Cat",
    "dog": "Dog",
    "horse": "Horse",
    "sheep": "Sheep",
    "cow": "Cattle",
    "elephant": "Elephant",
    "bear": "Bear",
    "zebra": "Zebra",
    "giraffe": "Giraffe",
    "backpack": "Backpack",
    "umbrella": "Umbrella",
    "handbag": "Handbag",
    "tie": "Tie",
    "suitcase": "Suitcase",
    "frisbee": "Frisbee",
    "skis": "Ski",
    "snowboard": "Snowboard",
    "sports ball": "Ball",
    "kite": "Kite",
    "baseball bat": "Baseball Bat",
    "baseball glove": "Baseball Glove",
    "skateboard": "Skateboard",
    "surfboard": "Surfboard",
    "tennis racket": "Tennis Racket",
    "bottle": "Bottle",
    "wine glass": "Wine Glass",
    "cup": "Cup",
    "fork": "Fork",
    "knife": "Knife",
    "spoon": "Spoon",
    "bowl": "Bowl",
    "banana": "Banana",
    "apple": "Apple",
    "sandwich": "Sandwich",
    "orange": "Orange",
    "broccoli": "Broccoli",
    "carrot": "Carrot",
    "hot dog": "Hot Dog",
    "pizza": "Pizza",
    "donut": "Donut",
    "cake": "Cake",
    "chair": "Chair",
    "couch": "Couch",
    "potted plant": "Potted Plant",
    "bed": "Bed",
    "dining table": "Dining Table",
    "toilet": "Toilet",
    "tv": "TV",
    "laptop": "Laptop",
    "mouse": "Computer Mouse",
    "remote": "Remote Control",
    "keyboard": "Computer Keyboard",
    "cell phone": "Mobile Phone",
    "microwave": "Microwave",
    "oven": "Oven",
    "toaster": "Toaster",
    "sink": "Sink",
    "refrigerator": "Refrigerator",
    "book": "Book",
    "clock": "Clock",
    "vase": "Vase",
    "scissors": "Scissors",
    "teddy bear": "Teddy Bear",
    "hair drier": "Hair Drier",
    "toothbrush": "Toothbrush",
}

# COCO labels no ImageNet class gives: their parents (they exist only for the YOLO path).
COCO_ONLY_PARENTS: dict[str, list[str]] = {
    "Fire Hydrant": [],
    "Stop Sign": ["Road Sign"],
    "Zebra": ["Mammal", "Wildlife"],
    "Giraffe": ["Mammal", "Wildlife"],
    "Suitcase": ["Bag"],
    "Frisbee": ["Toy"],
    "Snowboard": ["Sports Equipment"],
    "Kite": ["Toy"],
    "Baseball Bat": ["Sports Equipment"],
    "Baseball Glove": ["Sports Equipment"],
    "Skateboard": ["Sports Equipment"],
    "Surfboard": ["Sports Equipment"],
    "Wine Glass": ["Glass"],
    "Fork": ["Cutlery"],
    "Knife": ["Cutlery"],
    "Spoon": ["Cutlery"],
    "Cutlery": ["Kitchen Utensil"],
    "Banana": ["Fruit"],
    "Sandwich": ["Food"],
    "Broccoli": ["Vegetable"],
    "Carrot": ["Vegetable"],
    "Donut": ["Dessert"],
    "Cake": ["Dessert"],
    "Potted Plant": ["Plant"],
    "Oven": ["Appliance"],
    "Scissors": ["Tool"],
    "Hair Drier": ["Appliance"],
    "Toothbrush": ["Cosmetics"],
    "Bowl": ["Kitchen Utensil"],
    "Plate": ["Kitchen Utensil"],
    "Pants": ["Clothing"],
    "Door": [],
    "Wall": ["Building"],
    "Cushion": ["Furniture"],
    "Basket": ["Container"],
    "Container": [],
    "Curtain": ["Home Decor"],
    "Home Decor": [],
    "Beach": ["Nature"],
    "Mountain": ["Nature"],
    "Road Sign": ["Sign"],
    "Lake": ["Nature"],
}
CATEGORIES.update(
    {
        "Home Decor": ["Home and Indoors"],
        "Door": ["Buildings and Architecture"],
        "Fire Hydrant": ["Public Safety"],
        "Container": ["Everyday Objects"],
        "Lemur": ["Animals and Pets"],
    }
)


@dataclass(frozen=True)
class Synset:
    offset: str  # "n" + 8 digits, as ImageNet names classes
    lemmas: tuple[str, ...]
    hypernyms: tuple[str, ...]


def read_wordnet(folder: Path) -> dict[str, Synset]:
    """The noun synsets of WordNet 3.0's ``data.noun``, with their (instance) hypernym pointers."""
    synsets: dict[str, Synset] = {}
    with (folder / "data.noun").open(encoding="latin-1") as data:
        for line in data:
            if line.startswith("  "):  # licence header
                continue
            fields = line.partition("|")[0].split()
            offset = "n" + fields[0]
            words = int(fields[3], 16)
            lemmas = tuple(fields[4 + 2 * i] for i in range(words))
            at = 4 + 2 * words
            pointers = int(fields[at])
            at += 1
            hypernyms = []
            for _ in range(pointers):
                symbol, target, pos = fields[at], fields[at + 1], fields[at + 2]
                at += 4
                if symbol in ("@", "@i") and pos == "n":
                    hypernyms.append("n" + target)
            synsets[offset] = Synset(offset, lemmas, tuple(hypernyms))
    return synsets


def wordnet_notice(folder: Path) -> str:
    """WordNet's licence, copyright notice and disclaimer (the header of ``data.noun``), which must
    appear on all copies and modifications of the database: the taxonomy carries it."""
    lines = []
    with (folder / "data.noun").open(encoding="latin-1") as data:
        for line in data:
            if not line.startswith("  "):
                break
            lines.append(line.strip().split(" ", 1)[1].strip() if " " in line.strip() else "")
    return "\n".join(lines).strip()


def title(name: str) -> str:
    """``"German short-haired pointer"`` -> ``"German Short-Haired Pointer"`` (capitals kept)."""
    return re.sub(r"(^|[\s-])([a-z])", lambda match: match.group(1) + match.group(2).upper(), name)


def nearest_kept(synsets: dict[str, Synset], start: str, own_name: str) -> list[str]:
    """Names of the nearest :data:`KEPT` synsets above ``start`` on every hypernym path."""
    found: list[str] = []
    stack = list(synsets[start].hypernyms)
    seen: set[str] = set()
    while stack:
        offset = stack.pop()
        if offset in seen:
            continue
        seen.add(offset)
        name = KEPT.get(offset)
        if name is not None and name != own_name:
            if name not in found:
                found.append(name)
            continue
        stack.extend(synsets[offset].hypernyms)
    return found


@dataclass
class Draft:
    parents: list[str] = field(default_factory=list)

    def add(self, names: Iterable[str], own: str) -> None:
        for name in names:
            if name != own and name not in self.parents:
                self.parents.append(name)


def imagenet_ids() -> list[str]:
    if DATA_FILE.is_file():
        return [entry["wnid"] for entry in json.loads(DATA_FILE.read_text())["imagenet"]]
    spec = importlib.util.find_spec("ultralytics")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("no taxonomy.json yet and no ultralytics wheel to read ImageNet's class ids from")
    import yaml

    folder = Path(next(iter(spec.submodule_search_locations)))
    mapping = yaml.safe_load((folder / "cfg" / "datasets" / "ImageNet.yaml").read_text())["map"]
    return list(mapping)


def ancestors(name: str, parents: dict[str, list[str]], trail: tuple[str, ...] = ()) -> set[str]:
    if name in trail:
        raise SystemExit(f"cycle: {' -> '.join((*trail, name))}")
    found: set[str] = set()
    for parent in parents[name]:
        found.add(parent)
        found |= ancestors(parent, parents, (*trail, name))
    return found


def build(wordnet: Path) -> dict[str, object]:
    import torchvision

    synsets = read_wordnet(wordnet)
    wnids = imagenet_ids()
    names: list[str] = list(torchvision.models.MobileNet_V2_Weights.IMAGENET1K_V1.meta["categories"])
    if len(wnids) != 1000 or wnids != sorted(wnids):
        raise SystemExit("expected the 1000 ImageNet-1k class ids in sorted (class index) order")

    drafts: dict[str, Draft] = {}

    def draft(name: str) -> Draft:
        return drafts.setdefault(name, Draft())

    for offset, name in KEPT.items():
        draft(name).add(nearest_kept(synsets, offset, name), name)
    classes = []
    for index, wnid in enumerate(wnids):
        labels = CLASS_LABELS.get(wnid) or [title(names[index])]
        own = labels[0]
        if wnid not in NO_WORDNET_PARENTS:
            draft(own).add(nearest_kept(synsets, wnid, own), own)
        for extra in labels[1:]:
            draft(extra)
        classes.append({"wnid": wnid, "name": names[index], "labels": labels})
    for name, parents in (EXTRA_LABELS | COCO_ONLY_PARENTS).items():
        draft(name).add(parents, name)
    for name, parents in EXTRA_PARENTS.items():
        draft(name).add(parents, name)
    for coco in COCO_LABELS.values():
        draft(coco)
    for name, entry in drafts.items():
        for parent in entry.parents:
            if parent not in drafts:
                raise SystemExit(f"{name}: parent {parent} is not a label")

    direct = {name: list(entry.parents) for name, entry in drafts.items()}
    # Transitive reduction: drop a parent that another parent already implies.
    reduced: dict[str, list[str]] = {}
    for name, parents in direct.items():
        implied: set[str] = set()
        for parent in parents:
            implied |= ancestors(parent, direct)
        reduced[name] = sorted(parent for parent in parents if parent not in implied)

    categories: dict[str, list[str]] = {}

    def category_of(name: str) -> list[str]:
        if name not in categories:
            own = CATEGORIES.get(name)
            if own is None:
                inherited: list[str] = []
                for parent in reduced[name]:
                    inherited.extend(c for c in category_of(parent) if c not in inherited)
                own = inherited or [DEFAULT_CATEGORY]
            categories[name] = sorted(own)
        return categories[name]

    labels_out = {
        name: {
            "parents": reduced[name],
            "categories": category_of(name),
            "aliases": [],
            "instances": name in INSTANCE_LABELS,
        }
        for name in sorted(reduced)
    }
    return {
        "version": TAXONOMY_VERSION,
        "source": (
            "WordNet 3.0 hypernyms of the ImageNet-1k synsets, through the curated concepts and "
            "corrections of argus/vision/labels/build_taxonomy.py"
        ),
        "wordnet_licence": wordnet_notice(wordnet),
        "labels": labels_out,
        "imagenet": classes,
        "coco": COCO_LABELS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET, help="WordNet 3.0 dict folder")
    parser.add_argument("--output", type=Path, default=DATA_FILE)
    args = parser.parse_args()
    taxonomy = build(args.wordnet)
    args.output.write_text(json.dumps(taxonomy, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.output}: {len(taxonomy['labels'])} labels")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
