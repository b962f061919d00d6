package policy

import "strings"

// Common misspellings in seller messages, with their corrections. Only words
// that are never correct English are listed, so a hit is always a typo; both
// British and American spellings are accepted.
// misspellingList is "wrong=right;" pairs (a string, not a map literal, to
// keep policy.wasm small).
const misspellingList = "apreciate=appreciate;appriciate=appreciate;apprecaite=appreciate;appreaciate=appreciate;" +
	"buisness=business;busines=business;bussiness=business;bussines=business;recieve=receive;" +
	"recieved=received;recieving=receiving;reciept=receipt;recive=receive;recived=received;" +
	"seperate=separate;seperately=separately;definately=definitely;definatly=definitely;occured=occurred;" +
	"occurence=occurrence;untill=until;wich=which;whith=with;adress=address;adresses=addresses;" +
	"addres=address;guarentee=guarantee;garantee=guarantee;gaurantee=guarantee;accomodate=accommodate;" +
	"acommodate=accommodate;sincerly=sincerely;sincerley=sincerely;recomend=recommend;" +
	"reccomend=recommend;reccommend=recommend;recomended=recommended;inconvience=inconvenience;" +
	"inconvinience=inconvenience;inconveniance=inconvenience;begining=beginning;beleive=believe;" +
	"belive=believe;calender=calendar;cancelation=cancellation;commited=committed;concious=conscious;" +
	"curteous=courteous;custumer=customer;costumer service=customer service;dissapoint=disappoint;" +
	"dissapointed=disappointed;dissapointing=disappointing;embarass=embarrass;enviroment=environment;" +
	"existance=existence;foward=forward;fowarded=forwarded;freind=friend;goverment=government;" +
	"gratefull=grateful;happend=happened;immediatly=immediately;independant=independent;" +
	"knowlege=knowledge;liason=liaison;libary=library;maintainance=maintenance;neccessary=necessary;" +
	"necesary=necessary;noticable=noticeable;ocasion=occasion;occassion=occasion;oppurtunity=opportunity;" +
	"paralell=parallel;persue=pursue;posession=possession;prefered=preferred;proccess=process;" +
	"proccessed=processed;publically=publicly;quantitiy=quantity;reccommended=recommended;" +
	"refered=referred;relevent=relevant;replacment=replacement;replacemnt=replacement;" +
	"responsability=responsibility;resturant=restaurant;shiped=shipped;shippment=shipment;" +
	"shipement=shipment;succesful=successful;succesfully=successfully;sucessfully=successfully;" +
	"supercede=supersede;suprise=surprise;tommorow=tomorrow;tomorow=tomorrow;truely=truly;" +
	"unfortunatly=unfortunately;unfortunatelly=unfortunately;wierd=weird;writting=writing;pakage=package;" +
	"packege=package;delievered=delivered;delivred=delivered;deliverd=delivered;delivey=delivery;" +
	"tracknig=tracking;trackng=tracking;purchace=purchase;purchse=purchase;quaility=quality;" +
	"qulaity=quality;garanteed=guaranteed;guarenteed=guaranteed;warrenty=warranty;waranty=warranty;" +
	"refundd=refund;refnd=refund;exchage=exchange;excange=exchange;custommer=customer;plese=please;" +
	"pleae=please;thankyou=thank you;incovenience=inconvenience;aswell=as well;infact=in fact;" +
	"incase=in case;atleast=at least;"

// misspellingPhrases returns the list as phrases for the matcher, in the
// list's order, so the trie is built the same way on every host.
func misspellingPhrases() []phrase {
	var out []phrase
	for _, p := range strings.Split(misspellingList, ";") {
		if wrong, right, ok := strings.Cut(p, "="); ok {
			out = append(out, phrase{tag: tagMisspelling, pattern: wrong, payload: right})
		}
	}
	return out
}
