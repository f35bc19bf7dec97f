/* 所在地区 / 所属行政区划 (registration of a unit, the 职称初定 base form): province → city → district
   selects (#region-province, #region-city, #region-district) filled from /public/regions; the hidden
   #region_id gets the district, or the city when it has no districts. `onChange` is called when the
   hidden value changes. The server checks the region again. */
window.regionCascade = function ($, url, onChange) {
  "use strict";
  var $hidden = $("#region_id");
  var $levels = [$("#region-province"), $("#region-city"), $("#region-district")];

  function update() {
    var before = $hidden.val(), city = $levels[1].val(), district = $levels[2].val();
    if (district) { $hidden.val(district); }
    else if (city && $levels[2].data("empty")) { $hidden.val(city); }
    else { $hidden.val(""); }
    if (onChange && $hidden.val() !== before) { onChange(); }
  }
  function clear(index) {
    for (var i = index; i < $levels.length; i++) {
      $levels[i].find("option:not(:first)").remove();
      $levels[i].prop("disabled", true).removeAttr("data-empty").removeData("empty");
    }
  }
  function load(index, parent) {
    $.getJSON(url, {parent: parent}).done(function (rows) {
      var $select = $levels[index];
      $.each(rows, function (_, row) { $select.append($("<option>").val(row.id).text(row.name)); });
      $select.prop("disabled", rows.length === 0).data("empty", rows.length === 0);
      update();
    });
  }
  $.each($levels, function (index, $select) {
    $select.on("change", function () {
      clear(index + 1);
      if ($select.val() && index + 1 < $levels.length) { load(index + 1, $select.val()); }
      update();
    });
  });
  return update;
};
